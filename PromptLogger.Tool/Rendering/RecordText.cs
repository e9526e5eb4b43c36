using System.Globalization;
using System.Text;

namespace PromptLogging.Tool.Rendering;

/// <summary>
/// Stored text made safe for one line of a terminal: logged prompts are untrusted, and an escape sequence in one
/// (recolour, retitle, clear the screen, fake lines) must never reach the terminal raw.
/// </summary>
internal static class RecordText
{
    /// <summary>
    /// Line breaks and tabs as spaces (runs of them as one); other control characters (C0, DEL, C1) as <c>\xNN</c>;
    /// invisible format characters that reorder or hide text (bidi overrides, zero-width) as <c>\u{NNNN}</c>.
    /// </summary>
    public static string OneLine(string? text) => Flatten(text).Trim();

    /// <summary>As <see cref="OneLine"/>, keeping a space at either end: for a piece of a line.</summary>
    public static string Flatten(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var line = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (c is '\n' or '\r' or '\t' || (char.IsWhiteSpace(c) && !char.IsControl(c)))
            {
                if (!space)
                {
                    line.Append(' ');
                }

                space = true;
                continue;
            }

            space = false;
            if (char.IsControl(c))
            {
                line.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                line.Append("\\u{").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append('}');
            }
            else
            {
                line.Append(c);
            }
        }

        return line.ToString();
    }

    /// <summary>A text cut to <paramref name="width"/> characters, ending with … when cut.</summary>
    public static string Cut(string text, int width) =>
        width <= 1 || text.Length <= width ? text : text[..(width - 1)] + "…";
}
