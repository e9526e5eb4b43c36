using Spectre.Console;

namespace PromptLogging.Tool.Rendering;

/// <summary>A Spectre.Console console over a writer, in the <see cref="OutputStyle"/> asked for.</summary>
internal static class Terminal
{
    public static IAnsiConsole Create(TextWriter output, OutputStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = style.Colour ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = style.Colour ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = style.Width > 0 ? style.Width : 120;
        return console;
    }
}
