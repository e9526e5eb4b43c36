using System.Text.Json.Serialization;

namespace PromptLogging.Tool.Web.Overview;

/// <summary>
/// Everything the overview shows for a selection (the web UI's page, <c>/api/overview</c> and the report): the
/// totals, the calls of each UTC day, and the figures of each model. The figures are <c>stats</c>' own
/// (<see cref="PromptLogging.Stats.PromptStats"/>) for the same selection.
/// </summary>
/// <param name="Totals">The whole selection.</param>
/// <param name="Days">One group a UTC day that has calls (<c>yyyy-MM-dd</c>, or <c>invalid date</c>), oldest first.</param>
/// <param name="Models">One group a model (null: records without one), most calls first.</param>
/// <param name="PricesSource">Where the prices of the estimated costs came from (<c>built-in</c>, a file).</param>
/// <param name="PricesTakenOn">The day the built-in prices were taken from the providers' pages, if known.</param>
public sealed record OverviewData(
    [property: JsonPropertyName("totals")] OverviewTotals Totals,
    [property: JsonPropertyName("days")] IReadOnlyList<OverviewGroup> Days,
    [property: JsonPropertyName("models")] IReadOnlyList<OverviewGroup> Models,
    [property: JsonPropertyName("prices_source")] string PricesSource,
    [property: JsonPropertyName("prices_taken_on")] DateOnly? PricesTakenOn)
{
    /// <summary>Whether the selection holds no record at all.</summary>
    [JsonIgnore]
    public bool IsEmpty => Totals.Calls == 0;
}

/// <summary>The figures of the whole selection.</summary>
/// <param name="Calls">Records selected.</param>
/// <param name="Errors">Of them, failed calls.</param>
/// <param name="InputTokens">Input tokens reported, summed.</param>
/// <param name="OutputTokens">Output tokens reported, summed.</param>
/// <param name="EstimatedCostUsd">The estimated cost of the priced calls; null when no call could be priced (never 0 for unknown).</param>
/// <param name="UnpricedCalls">Calls with no estimated cost (a model the price table does not know, or no usage).</param>
/// <param name="FirstDay">The first UTC day with a call (<c>yyyy-MM-dd</c>); null when none.</param>
/// <param name="LastDay">The last UTC day with a call; null when none.</param>
public sealed record OverviewTotals(
    [property: JsonPropertyName("calls")] long Calls,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("estimated_cost_usd")] decimal? EstimatedCostUsd,
    [property: JsonPropertyName("unpriced_calls")] long UnpricedCalls,
    [property: JsonPropertyName("first_day")] string? FirstDay,
    [property: JsonPropertyName("last_day")] string? LastDay)
{
    /// <summary>Errors over calls, 0 to 1.</summary>
    [JsonPropertyName("error_rate")]
    public double ErrorRate => Calls == 0 ? 0 : (double)Errors / Calls;
}

/// <summary>The figures of one day or one model.</summary>
/// <param name="Key">The day (<c>yyyy-MM-dd</c>) or the model; null for records without a model.</param>
/// <param name="Calls">Records.</param>
/// <param name="Errors">Of them, failed calls.</param>
/// <param name="InputTokens">Input tokens reported, summed.</param>
/// <param name="OutputTokens">Output tokens reported, summed.</param>
/// <param name="EstimatedCostUsd">The estimated cost of the priced calls; null when none could be priced.</param>
/// <param name="UnpricedCalls">Calls with no estimated cost.</param>
/// <param name="LatencyP50">Median seconds from request to reply; null when no call was timed.</param>
/// <param name="LatencyP95">95th percentile of those seconds.</param>
/// <param name="TimeToFirstTokenP50">Median seconds to a stream's first update; null when no call streamed.</param>
/// <param name="TimeToFirstTokenP95">95th percentile of those seconds.</param>
public sealed record OverviewGroup(
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("calls")] long Calls,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("estimated_cost_usd")] decimal? EstimatedCostUsd,
    [property: JsonPropertyName("unpriced_calls")] long UnpricedCalls,
    [property: JsonPropertyName("latency_p50_seconds")] double? LatencyP50,
    [property: JsonPropertyName("latency_p95_seconds")] double? LatencyP95,
    [property: JsonPropertyName("ttft_p50_seconds")] double? TimeToFirstTokenP50,
    [property: JsonPropertyName("ttft_p95_seconds")] double? TimeToFirstTokenP95)
{
    /// <summary>Errors over calls, 0 to 1.</summary>
    [JsonPropertyName("error_rate")]
    public double ErrorRate => Calls == 0 ? 0 : (double)Errors / Calls;
}
