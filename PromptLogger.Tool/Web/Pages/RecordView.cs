using System.Globalization;
using System.Text.Json;
using PromptLogging.Browsing;
using PromptLogging.Pricing;
using PromptLogging.Storage;
using PromptLogging.Tool.Browsing;

namespace PromptLogging.Tool.Web.Pages;

/// <summary>One record as the record page shows it: its fields, the chat by role, tools, reply, the export line.</summary>
public sealed class RecordView
{
    public required string Id { get; init; }
    public required string Namespace { get; init; }
    public required string Kind { get; init; }
    public required IReadOnlyList<(string Label, string Value)> Fields { get; init; }
    public string? ConversationId { get; init; }
    public string? ReplayOf { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Metadata { get; init; }
    public string? GenerationKwargs { get; init; }
    public string? Error { get; init; }
    public IReadOnlyList<ChatMessageView> Messages { get; init; } = [];
    public IReadOnlyList<ChatMessageView> Replies { get; init; } = [];
    public IReadOnlyList<ToolDefinitionView> Tools { get; init; } = [];
    public string? Prompt { get; init; }
    public string? Response { get; init; }

    /// <summary>The record's line as the export writes it: what "copy as JSONL" copies.</summary>
    public required string JsonlLine { get; init; }

    /// <summary>The same, indented.</summary>
    public string RawJson => PrettyJson.OfText(JsonlLine);

    public bool IsText => Kind == PromptRecord.TextKind;

    internal static RecordView From(StoredRecord record, PriceTable prices, string jsonlLine)
    {
        ArgumentNullException.ThrowIfNull(record);
        var fields = new List<(string, string)>();
        void Add(string label, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                fields.Add((label, value));
            }
        }

        Add("namespace", record.Namespace);
        Add("model", record.ResponseModel is { } answered && answered != record.Model ? $"{record.Model ?? "-"} (answered by {answered})" : record.Model);
        Add("provider", record.Provider);
        Add("time", Display.Time(record.Time) + " UTC");
        Add("duration", record.InferenceSeconds is null ? null : Display.Seconds(record.InferenceSeconds));
        Add("first token", record.TimeToFirstTokenSeconds is null ? null : Display.Seconds(record.TimeToFirstTokenSeconds));
        Add("usage", Usage(record));
        var cost = record.Cost(prices);
        Add("cost", cost is null ? (record.InputTokens is null && record.OutputTokens is null ? null : "unknown (no price for this model)") : Display.Cost(cost));
        Add("stream", record.Stream is 1 ? record.StreamEnd ?? "yes" : record.StreamEnd);
        Add("user", record.UserId);
        Add("response id", record.ResponseId);
        return new RecordView
        {
            Id = record.Id,
            Namespace = record.Namespace,
            Kind = record.Kind,
            Fields = fields,
            ConversationId = record.ConversationId,
            ReplayOf = record.ReplayOf,
            Tags = Strings(record.Tags),
            Metadata = record.Metadata is null ? null : PrettyJson.OfText(record.Metadata),
            GenerationKwargs = record.GenerationKwargs is null ? null : PrettyJson.OfText(record.GenerationKwargs),
            Error = record.Error,
            Messages = ChatMessageView.ListFrom(record.Messages, "?"),
            Replies = ChatMessageView.ListFrom(record.Completions, "assistant"),
            Tools = ToolDefinitionView.ListFrom(record.Tools),
            Prompt = record.Prompt,
            Response = record.Response,
            JsonlLine = jsonlLine,
        };
    }

    private static string? Usage(StoredRecord record)
    {
        if (record.InputTokens is null && record.OutputTokens is null)
        {
            return null;
        }

        var input = $"{Count(record.InputTokens)} in" + (record.CachedInputTokens is { } cached ? $" ({Count(cached)} cached)" : string.Empty);
        var output = $"{Count(record.OutputTokens)} out" + (record.ReasoningTokens is { } reasoning ? $" ({Count(reasoning)} reasoning)" : string.Empty);
        return $"{input}, {output}";
    }

    private static string Count(long? tokens) => tokens?.ToString("N0", CultureInfo.InvariantCulture) ?? "?";

    private static IReadOnlyList<string> Strings(string? json)
    {
        using var document = Display.Parse(json);
        return document?.RootElement.ValueKind == JsonValueKind.Array
            ? [.. document.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? string.Empty : e.GetRawText())]
            : json is null ? [] : [json];
    }
}
