using System.Text;

namespace PromptLogging.Tool.Rendering;

/// <summary>
/// Stored text made safe for one line of a terminal: logged prompts are untrusted, and an escape sequence in one
/// (recolour, retitle, clear the screen, fake lines) must never reach the terminal raw. The escaping is
/// <see cref="TerminalText.Escape"/>'s; this adds the one-line form search and stats print.
/// </summary>
internal static class RecordText
{
    /// <summary>
    /// Escaped as <see cref="TerminalText.Escape"/> does (control characters as <c>\xNN</c>, bidi and other format
    /// characters as <c>\u{NNNN}</c>), with line breaks, tabs and runs of white space as one space, trimmed.
    /// </summary>
    public static string OneLine(string? text) => Flatten(text).Trim();

    /// <summary>As <see cref="OneLine"/>, keeping a space at either end: for a piece of a line.</summary>
    public static string Flatten(string? text)
    {
        var escaped = TerminalText.Escape(text?.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'));
        var line = new StringBuilder(escaped.Length);
        var space = false;
        foreach (var c in escaped)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!space)
                {
                    line.Append(' ');
                }

                space = true;
                continue;
            }

            space = false;
            line.Append(c);
        }

        return line.ToString();
    }

    /// <summary>A text cut to <paramref name="width"/> characters, ending with … when cut.</summary>
    public static string Cut(string text, int width) => TerminalText.Cut(text, width);
}
