using System.Globalization;
using System.Text;

namespace PromptLogging.Tool;

/// <summary>
/// Recorded text made safe to print: a prompt or reply is untrusted, and an escape sequence, a control character or a
/// bidirectional override in it must not reach the terminal raw (retitle it, clear it, fake lines, reorder what is shown).
/// </summary>
internal static class TerminalText
{
    /// <summary>
    /// Control characters (C0 but newline when <paramref name="keepNewlines"/>, DEL, C1) as <c>\xNN</c>, bidirectional
    /// controls and other invisible format characters as <c>\u{XXXX}</c>; tabs as a space.
    /// </summary>
    public static string Escape(string? text, bool keepNewlines = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var escaped = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            if (value == '\n' && keepNewlines)
            {
                escaped.Append('\n');
            }
            else if (value is '\t' or '\n')
            {
                escaped.Append(' ');
            }
            else if (value == '\r' && keepNewlines)
            {
                // \r\n as \n; a lone \r would move back over the line already printed.
                continue;
            }
            else if (value < 0x20 || value is >= 0x7F and <= 0x9F)
            {
                escaped.Append("\\x").Append(value.ToString("X2", CultureInfo.InvariantCulture));
            }
            else if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                escaped.Append("\\u{").Append(value.ToString("X4", CultureInfo.InvariantCulture)).Append('}');
            }
            else
            {
                escaped.Append(rune.ToString());
            }
        }

        return escaped.ToString();
    }

    /// <summary>One line of at most <paramref name="width"/> characters, the end replaced by … when cut.</summary>
    public static string Cut(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (width <= 0 || text.Length <= width)
        {
            return text;
        }

        var end = width - 1;
        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return string.Concat(text.AsSpan(0, Math.Max(0, end)), "…");
    }
}
