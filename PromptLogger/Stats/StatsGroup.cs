namespace PromptLogging.Stats;

/// <summary>The figures of one group of prompts (<c>stats</c>).</summary>
/// <param name="Key">The group: a model, namespace, day (yyyy-MM-dd), conversation, user or tag; null for prompts without one.</param>
/// <param name="Calls">How many prompts.</param>
/// <param name="Errors">How many of them failed.</param>
/// <param name="InputTokens">Input tokens reported, summed.</param>
/// <param name="OutputTokens">Output tokens reported, summed.</param>
/// <param name="EstimatedCostUsd">The estimated cost of the calls whose model the price table knows; null when none.</param>
/// <param name="UnpricedCalls">Calls with no estimated cost (unknown model, or no usage).</param>
/// <param name="Latency">Seconds from request to reply: p50, p95, p99; null when no call was timed.</param>
/// <param name="TimeToFirstToken">Seconds to a stream's first update: p50, p95; null when no call streamed.</param>
internal sealed record StatsGroup(
    string? Key,
    long Calls,
    long Errors,
    long InputTokens,
    long OutputTokens,
    decimal? EstimatedCostUsd,
    long UnpricedCalls,
    IReadOnlyList<double>? Latency,
    IReadOnlyList<double>? TimeToFirstToken)
{
    /// <summary>Errors over calls, 0 to 1.</summary>
    public double ErrorRate => Calls == 0 ? 0 : (double)Errors / Calls;
}
