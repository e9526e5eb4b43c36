using PromptLogging.Browsing;
using PromptLogging.Export;
using PromptLogging.Pricing;
using Spectre.Console;

namespace PromptLogging.Tool.Browsing;

/// <summary>
/// Runs <c>list</c>: the newest records the filter selects, one line each cut to the width (time, id, namespace,
/// model, duration, tokens, cost, the last user message → the reply); <c>--json</c> the export's lines; <c>--follow</c>
/// then polls for records stored after it started, in insertion order (<see cref="RecordFollower"/>), until
/// interrupted.
/// </summary>
internal sealed class ListRunner(ToolConsole console, Interruption? interruption = null)
{
    /// <summary>How long <c>--follow</c> waits between two looks at the database.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private const int IdShown = 8;
    private const int FollowBatch = 200;

    public int Run(ExportFilter filter, int limit, bool json, bool follow, PriceTable prices, string database)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var cancellationToken = interruption?.Observe() ?? CancellationToken.None;
        using var session = ReadSession.Open(database);
        // Read before the newest records: one stored in between is then shown once, not missed.
        var start = follow ? RecordFollower.LastPosition(session.Connection, session.Store) : 0;
        var newest = RecordQueries.Newest(session.Connection, session.Store, filter, limit);
        // Newest first; when following, oldest first so that new records land below, as tail -f does.
        var shown = follow ? newest.Reverse().ToList() : [.. newest];
        Write(session, shown, json, prices);
        if (!follow)
        {
            return ExitCode.Success;
        }

        var follower = RecordFollower.Start(session.Connection, session.Store, filter, start, newest.Select(r => r.Id));
        try
        {
            while (true)
            {
                cancellationToken.WaitHandle.WaitOne(PollInterval);
                cancellationToken.ThrowIfCancellationRequested();
                var next = follower.Next(session.Connection, FollowBatch);
                if (next.Count > 0)
                {
                    Write(session, [.. next.Select(n => n.Record)], json, prices);
                }
            }
        }
        catch (OperationCanceledException) when (interruption is { Signal: not null })
        {
            return interruption.ExitCode;
        }
    }

    private void Write(ReadSession session, IReadOnlyList<StoredRecord> records, bool json, PriceTable prices)
    {
        if (json)
        {
            foreach (var record in records)
            {
                JsonlExporter.ExportOne(session.Connection, session.Store, record.Kind, record.Id, console.Data, prices);
            }

            console.Data.Flush();
            return;
        }

        var colored = console.Colors ? ColoredConsole.Create(console) : null;
        foreach (var record in records)
        {
            var (fields, text) = Line(record, prices);
            var room = Math.Max(10, console.Width - fields.Sum(f => f.Length + 2));
            var cut = TerminalText.Cut(text, room);
            if (colored is null)
            {
                console.Out.WriteLine(string.Join("  ", fields.Append(cut)));
            }
            else
            {
                colored.MarkupLine(
                    $"[grey]{fields[0]}[/]  [yellow]{Markup.Escape(fields[1])}[/]  [blue]{Markup.Escape(fields[2])}[/]  " +
                    $"[cyan]{Markup.Escape(fields[3])}[/]  {fields[4]}  {fields[5]}  [green]{Markup.Escape(fields[6])}[/]  " +
                    (record.Error is null ? Markup.Escape(cut) : $"[red]{Markup.Escape(cut)}[/]"));
            }
        }

        console.Out.Flush();
    }

    /// <summary>The fixed fields of a line, each escaped, and its text (the last user message → the reply), escaped.</summary>
    internal static (string[] Fields, string Text) Line(StoredRecord record, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = record.Id.Length > IdShown ? record.Id[..IdShown] : record.Id;
        string[] fields =
        [
            Display.Time(record.Time),
            TerminalText.Escape(id),
            TerminalText.Escape(record.Namespace),
            TerminalText.Escape(record.Model ?? "-"),
            Display.Seconds(record.InferenceSeconds),
            Display.Tokens(record.InputTokens, record.OutputTokens),
            Display.Cost(record.Cost(prices)),
        ];
        var user = TerminalText.Escape(Display.LastUserText(record.Messages, record.Prompt)).Trim();
        var reply = TerminalText.Escape(Display.ReplyText(record.Completions, record.Response, record.Error)).Trim();
        return (fields, $"{user} → {reply}");
    }
}
