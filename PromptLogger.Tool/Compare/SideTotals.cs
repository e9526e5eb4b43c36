namespace PromptLogging.Tool.Compare;

/// <summary>The sums over one side of the pairs: exactly the pairs' own figures added up.</summary>
public sealed record SideTotals(
    int Calls,
    int Errors,
    double Seconds,
    long InputTokens,
    long OutputTokens,
    decimal? CostUsd,
    int UnpricedCalls,
    IReadOnlyDictionary<string, int> FinishReasons)
{
    /// <summary>The mean latency of the calls that have one; null when none has.</summary>
    public double? MeanSeconds { get; init; }

    public static SideTotals Of(IReadOnlyList<ComparedCall> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var timed = calls.Where(c => c.Seconds is not null).ToList();
        var priced = calls.Where(c => c.CostUsd is not null).ToList();
        var finishes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var call in calls)
        {
            var reason = call.FinishReason ?? (call.Error is null ? "none" : "error");
            finishes[reason] = finishes.GetValueOrDefault(reason) + 1;
        }

        return new SideTotals(
            calls.Count,
            calls.Count(c => c.Error is not null),
            timed.Sum(c => c.Seconds!.Value),
            calls.Sum(c => c.InputTokens ?? 0),
            calls.Sum(c => c.OutputTokens ?? 0),
            priced.Count == 0 ? null : priced.Sum(c => c.CostUsd!.Value),
            calls.Count - priced.Count,
            finishes)
        {
            MeanSeconds = timed.Count == 0 ? null : timed.Sum(c => c.Seconds!.Value) / timed.Count,
        };
    }
}
