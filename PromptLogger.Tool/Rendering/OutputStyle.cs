namespace PromptLogging.Tool.Rendering;

/// <summary>How a verb prints what it found: a table for a person at a terminal, or stable plain text for a script.</summary>
/// <param name="Terminal">Standard output is a terminal: tables, cut to <paramref name="Width"/>.</param>
/// <param name="Colour">Colours too (a terminal, and <c>NO_COLOR</c> not set).</param>
/// <param name="Width">The terminal's width in columns.</param>
internal sealed record OutputStyle(bool Terminal, bool Colour, int Width)
{
    /// <summary>Plain text: what a redirected output, a pipe or a test gets.</summary>
    public static readonly OutputStyle Plain = new(false, false, 0);

    /// <summary>The style of <paramref name="console"/>: a table on a terminal (colours unless <c>NO_COLOR</c>), plain text otherwise.</summary>
    public static OutputStyle For(ToolConsole console) =>
        console.IsTerminal ? new OutputStyle(true, console.Colors, console.Width) : Plain;
}
