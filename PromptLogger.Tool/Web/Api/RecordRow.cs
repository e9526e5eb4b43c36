using System.Text.Json.Serialization;
using PromptLogging.Browsing;
using PromptLogging.Pricing;
using PromptLogging.Tool.Browsing;

namespace PromptLogging.Tool.Web.Api;

/// <summary>One record as a line of the records page, of <c>/api/records</c> and of the live feed.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Kind">chat or text.</param>
/// <param name="Model">The model asked for.</param>
/// <param name="Time">When the call was made (UTC).</param>
/// <param name="InferenceSeconds">How long it took.</param>
/// <param name="InputTokens">Input tokens reported.</param>
/// <param name="OutputTokens">Output tokens reported.</param>
/// <param name="EstimatedCostUsd">The estimated cost; null when the model's price is not known.</param>
/// <param name="Error">The error of a failed call.</param>
/// <param name="Question">The last user message (or a text prompt).</param>
/// <param name="Reply">The reply's text (or the error).</param>
public sealed record RecordRow(
    string Id,
    string Namespace,
    string Kind,
    string? Model,
    DateTimeOffset Time,
    double? InferenceSeconds,
    long? InputTokens,
    long? OutputTokens,
    decimal? EstimatedCostUsd,
    string? Error,
    string Question,
    string Reply)
{
    /// <summary>How the page writes the time.</summary>
    [JsonIgnore]
    public string TimeText => Display.Time(Time);

    [JsonIgnore]
    public string DurationText => Display.Seconds(InferenceSeconds);

    [JsonIgnore]
    public string TokensText => Display.Tokens(InputTokens, OutputTokens);

    [JsonIgnore]
    public string CostText => Display.Cost(EstimatedCostUsd);

    /// <summary>The texts cut for a line of the table; the record page has them whole.</summary>
    [JsonIgnore]
    public string QuestionShort => Cut(Question);

    [JsonIgnore]
    public string ReplyShort => Cut(Reply);

    internal static RecordRow From(StoredRecord record, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new RecordRow(
            record.Id, record.Namespace, record.Kind, record.Model, record.Time, record.InferenceSeconds, record.InputTokens, record.OutputTokens,
            record.Cost(prices), record.Error, Display.LastUserText(record.Messages, record.Prompt).Trim(), Display.ReplyText(record.Completions, record.Response, record.Error).Trim());
    }

    private const int ShortLength = 160;

    private static string Cut(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= ShortLength ? line : line[..ShortLength] + "…";
    }
}
