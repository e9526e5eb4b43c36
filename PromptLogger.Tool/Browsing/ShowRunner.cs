using System.Text.Json;
using PromptLogging.Browsing;
using PromptLogging.Export;
using PromptLogging.Pricing;
using Spectre.Console;

namespace PromptLogging.Tool.Browsing;

/// <summary>
/// Runs <c>show ID</c>: one record in full, found by its id or a prefix only it has. No record → exit 1; several →
/// exit 2 with the candidates. All recorded text is escaped before it reaches the terminal.
/// </summary>
internal sealed class ShowRunner(ToolConsole console)
{
    public int Run(string idPrefix, bool json, PriceTable prices, string database)
    {
        using var session = ReadSession.Open(database);
        var found = RecordQueries.ByIdPrefix(session.Connection, idPrefix.Trim());
        if (found.Count == 0)
        {
            console.WriteError($"no record has an id starting with '{idPrefix}' in {session.Store.DisplayName}; 'prompt-logger list' shows the newest ids.");
            return ExitCode.Failure;
        }

        if (found.Count > 1)
        {
            var more = found.Count > RecordQueries.MaxCandidates ? " (and more)" : string.Empty;
            console.WriteError($"the id prefix '{idPrefix}' matches {Math.Min(found.Count, RecordQueries.MaxCandidates)} records{more}; give more of the id.");
            foreach (var candidate in found.Take(RecordQueries.MaxCandidates))
            {
                console.Error.WriteLine($"  {TerminalText.Escape(candidate.Id)}  {Display.Time(candidate.Time)}  {TerminalText.Escape(candidate.Namespace)}  {TerminalText.Escape(candidate.Model ?? "-")}");
            }

            return ExitCode.Usage;
        }

        var record = found[0];
        if (json)
        {
            JsonlExporter.ExportOne(session.Connection, session.Store, record.Kind, record.Id, console.Data, prices);
            console.Data.Flush();
            return ExitCode.Success;
        }

        var writer = new Writer(console);
        WriteRecord(writer, record, prices);
        console.Out.Flush();
        return ExitCode.Success;
    }

    private static void WriteRecord(Writer writer, StoredRecord record, PriceTable prices)
    {
        writer.Field("id", record.Id);
        writer.Field("namespace", record.Namespace);
        writer.Field("kind", record.Kind);
        writer.Field("model", record.ResponseModel is { } answered && answered != record.Model ? $"{record.Model ?? "-"} (answered by {answered})" : record.Model);
        writer.Field("provider", record.Provider);
        writer.Field("time", Display.Time(record.Time) + " UTC");
        writer.Field("duration", record.InferenceSeconds is null ? null
            : Display.Seconds(record.InferenceSeconds) + (record.TimeToFirstTokenSeconds is { } first ? $" (first token {Display.Seconds(first)})" : string.Empty));
        writer.Field("usage", Usage(record));
        var cost = record.Cost(prices);
        writer.Field("cost", cost is null ? (record.InputTokens is null && record.OutputTokens is null ? null : "unknown (no price for this model)") : Display.Cost(cost));
        writer.Field("stream", record.Stream is 1 ? record.StreamEnd ?? "yes" : record.StreamEnd);
        writer.Field("conversation", record.ConversationId);
        writer.Field("user", record.UserId);
        writer.Field("tags", JoinedStrings(record.Tags));
        writer.Field("metadata", record.Metadata);
        writer.Field("generation", record.GenerationKwargs);
        writer.Field("tools", ToolNames(record.Tools));
        writer.Field("replay of", record.ReplayOf);
        writer.Field("response id", record.ResponseId);
        writer.Field("error", record.Error);

        if (record.Kind == Storage.PromptRecord.TextKind)
        {
            writer.Section("prompt", record.Prompt);
            writer.Section("response", record.Response);
            return;
        }

        WriteMessages(writer, record.Messages);
        WriteReply(writer, record.Completions);
    }

    private static string? Usage(StoredRecord record)
    {
        if (record.InputTokens is null && record.OutputTokens is null)
        {
            return null;
        }

        var input = $"{record.InputTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} in";
        if (record.CachedInputTokens is { } cached)
        {
            input += $" ({cached} cached)";
        }

        var output = $"{record.OutputTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} out";
        if (record.ReasoningTokens is { } reasoning)
        {
            output += $" ({reasoning} reasoning)";
        }

        return $"{input}, {output}";
    }

    private static void WriteMessages(Writer writer, string? messagesJson)
    {
        using var messages = Display.Parse(messagesJson);
        if (messages?.RootElement.ValueKind != JsonValueKind.Array)
        {
            writer.Section("messages", messagesJson);
            return;
        }

        foreach (var message in messages.RootElement.EnumerateArray())
        {
            var role = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? "?" : "?";
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("tool_call_id", out var answers) && answers.ValueKind == JsonValueKind.String)
            {
                role += $" (answers {answers.GetString()})";
            }

            writer.Section(role, Display.ContentText(message) ?? string.Empty);
            WriteToolCalls(writer, message);
        }
    }

    private static void WriteReply(Writer writer, string? completionsJson)
    {
        using var completions = Display.Parse(completionsJson);
        if (completions?.RootElement.ValueKind != JsonValueKind.Array)
        {
            writer.Section("reply", completionsJson);
            return;
        }

        foreach (var completion in completions.RootElement.EnumerateArray())
        {
            var finish = completion.ValueKind == JsonValueKind.Object && completion.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String
                ? $"; finish: {f.GetString()}"
                : string.Empty;
            writer.Section($"reply{finish}", Display.ContentText(completion) ?? string.Empty);
            WriteToolCalls(writer, completion);
        }
    }

    private static void WriteToolCalls(Writer writer, JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var call in calls.EnumerateArray())
        {
            var arguments = call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object &&
                            function.TryGetProperty("arguments", out var a)
                ? a.ValueKind == JsonValueKind.String ? a.GetString() : a.GetRawText()
                : null;
            var id = call.ValueKind == JsonValueKind.Object && call.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? $" [{i.GetString()}]" : string.Empty;
            writer.Line($"→ tool call {Display.ToolCallName(call)}({arguments}){id}");
        }
    }

    private static string? JoinedStrings(string? json)
    {
        using var document = Display.Parse(json);
        return document?.RootElement.ValueKind == JsonValueKind.Array
            ? string.Join(", ", document.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()))
            : json;
    }

    private static string? ToolNames(string? json)
    {
        using var document = Display.Parse(json);
        return document?.RootElement.ValueKind == JsonValueKind.Array
            ? string.Join(", ", document.RootElement.EnumerateArray().Select(Display.ToolCallName))
            : json;
    }

    /// <summary>Labelled fields and role sections, plain or coloured; every value escaped.</summary>
    private sealed class Writer(ToolConsole console)
    {
        private const int LabelWidth = 13;
        private readonly IAnsiConsole? _colored = console.Colors ? ColoredConsole.Create(console) : null;

        public void Field(string label, string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            var text = TerminalText.Escape(value);
            if (_colored is null)
            {
                console.Out.WriteLine(label.PadRight(LabelWidth) + text);
            }
            else
            {
                _colored.MarkupLine($"[grey]{Markup.Escape(label.PadRight(LabelWidth))}[/]{Markup.Escape(text)}");
            }
        }

        public void Section(string title, string? body)
        {
            var heading = $"── {TerminalText.Escape(title)} ──";
            if (_colored is null)
            {
                console.Out.WriteLine();
                console.Out.WriteLine(heading);
            }
            else
            {
                _colored.WriteLine();
                _colored.MarkupLine($"[bold cyan]{Markup.Escape(heading)}[/]");
            }

            Line(body ?? string.Empty);
        }

        public void Line(string text)
        {
            var escaped = TerminalText.Escape(text, keepNewlines: true);
            if (_colored is null)
            {
                console.Out.WriteLine(escaped);
            }
            else
            {
                _colored.Write(new Text(escaped + "\n"));
            }
        }
    }
}
