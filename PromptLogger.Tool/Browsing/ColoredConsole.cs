using Spectre.Console;

namespace PromptLogging.Tool.Browsing;

/// <summary>
/// Spectre.Console on the tool's standard output, for a terminal with colours only: redirected output and
/// <c>NO_COLOR</c> get plain text written without it. Record text is always passed escaped (Markup.Escape).
/// </summary>
internal static class ColoredConsole
{
    public static IAnsiConsole Create(ToolConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(console.Out),
            Interactive = InteractionSupport.No,
        });
        ansi.Profile.Width = console.Width;
        return ansi;
    }
}
