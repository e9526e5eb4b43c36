using System.Globalization;
using System.Text;
using PromptLogging.Storage.Search;
using Spectre.Console;

namespace PromptLogging.Tool.Rendering;

/// <summary>
/// Prints search matches: on a terminal, one entry a match (time, model, id, then the snippet with its matching words
/// highlighted); redirected, one tab-separated line a match (id, time, namespace, model, snippet with the matching
/// words in [ ]). Stored text is made one safe line first (<see cref="RecordText"/>) and escaped for Spectre's markup.
/// </summary>
internal static class SearchView
{
    public static void Write(TextWriter output, OutputStyle style, IReadOnlyList<SearchHit> hits)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(style);
        ArgumentNullException.ThrowIfNull(hits);
        if (!style.Terminal)
        {
            foreach (var hit in hits)
            {
                output.Write(string.Join('\t', RecordText.OneLine(hit.Id), Time(hit.InferenceOn), RecordText.OneLine(hit.Namespace), RecordText.OneLine(hit.Model), Marked(hit.Snippet, "[", "]")));
                output.Write('\n');
            }

            return;
        }

        var console = Terminal.Create(output, style);
        foreach (var hit in hits)
        {
            console.MarkupLine($"[dim]{Time(hit.InferenceOn)}[/]  [blue]{Markup.Escape(RecordText.OneLine(hit.Model))}[/]  [dim]{Markup.Escape(RecordText.OneLine(hit.Id))}[/]");
            // Without colour (NO_COLOR) a match is marked as in plain text.
            console.MarkupLine("  " + (style.Colour ? Highlighted(hit.Snippet) : Markup.Escape(Marked(hit.Snippet, "[", "]"))));
        }
    }

    /// <summary>The snippet as one safe line, each matching word between <paramref name="open"/> and <paramref name="close"/>.</summary>
    public static string Marked(string snippet, string open, string close) =>
        Join(snippet, RecordText.Flatten, word => open + RecordText.OneLine(word) + close);

    private static string Highlighted(string snippet) =>
        Join(snippet, text => Markup.Escape(RecordText.Flatten(text)), word => "[bold yellow]" + Markup.Escape(RecordText.OneLine(word)) + "[/]");

    /// <summary>Splits the snippet at its match markers: text outside a match, and each match, formatted apart.</summary>
    private static string Join(string snippet, Func<string, string> text, Func<string, string> match)
    {
        var line = new StringBuilder();
        var rest = snippet.AsSpan();
        while (rest.Length > 0)
        {
            var start = rest.IndexOf(SearchHit.MatchStart);
            if (start < 0)
            {
                line.Append(text(rest.ToString()));
                break;
            }

            line.Append(text(rest[..start].ToString()));
            rest = rest[(start + 1)..];
            var end = rest.IndexOf(SearchHit.MatchEnd);
            var word = end < 0 ? rest : rest[..end];
            line.Append(match(word.ToString()));
            rest = end < 0 ? [] : rest[(end + 1)..];
        }

        // Runs of spaces where a line break met a fragment's edge: one space, as OneLine makes elsewhere.
        return line.ToString().Trim();
    }

    private static string Time(double epochSeconds) =>
        epochSeconds is >= 0 and < 253_402_300_800d
            ? DateTimeOffset.UnixEpoch.AddSeconds(epochSeconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : "-";
}
