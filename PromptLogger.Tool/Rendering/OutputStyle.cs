namespace PromptLogging.Tool.Rendering;

/// <summary>How a verb prints what it found: a table for a person at a terminal, or stable plain text for a script.</summary>
/// <param name="Terminal">Standard output is a terminal: tables, cut to <paramref name="Width"/>.</param>
/// <param name="Colour">Colours too (a terminal, and <c>NO_COLOR</c> not set).</param>
/// <param name="Width">The terminal's width in columns.</param>
internal sealed record OutputStyle(bool Terminal, bool Colour, int Width)
{
    /// <summary>Plain text: what a redirected output, a pipe or a test gets.</summary>
    public static readonly OutputStyle Plain = new(false, false, 0);

    /// <summary>The style for <paramref name="stdout"/>: a terminal only when it is this process's own, not redirected.</summary>
    public static OutputStyle For(TextWriter stdout)
    {
        if (!ReferenceEquals(stdout, Console.Out) || Console.IsOutputRedirected)
        {
            return Plain;
        }

        var width = 120;
        try
        {
            width = Math.Max(40, Console.WindowWidth);
        }
        catch (IOException)
        {
            // No window to ask: the default.
        }

        return new OutputStyle(true, string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")), width);
    }
}
