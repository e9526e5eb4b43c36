using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Stats;
using PromptLogging.Tool.Browsing;

namespace PromptLogging.Tool.Web.Overview;

/// <summary>
/// Reads the <see cref="OverviewData"/> of a selection: <c>stats</c>' figures by day and by model
/// (<see cref="PromptStats"/>, one read for both, exact percentiles, costs priced call by call), the totals summed
/// from the models'.
/// </summary>
internal static class OverviewQuery
{
    /// <summary>The overview of the records <paramref name="filter"/> selects (its own kind: chat or text).</summary>
    /// <param name="session">A read-only session on the store; its store opens the connections the reads use.</param>
    /// <param name="filter">Which records.</param>
    /// <param name="prices">Prices the calls.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    internal static OverviewData Load(ReadSession session, ExportFilter filter, PriceTable prices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(prices);
        var store = session.Store;
        // One read of the selection for both: a million prompts are read once, not twice.
        var groups = PromptStats.Run(store.OpenForReading, store.Url.Kind, filter, filter.Kind, [StatsGrouping.Day, StatsGrouping.Model], prices, cancellationToken);
        var (days, models) = (groups[0], groups[1]);
        var datedDays = days.Where(d => d.Key is { Length: 10 }).Select(d => d.Key!).ToList();
        var priced = models.Where(m => m.EstimatedCostUsd is not null).ToList();
        var totals = new OverviewTotals(
            models.Sum(m => m.Calls),
            models.Sum(m => m.Errors),
            models.Sum(m => m.InputTokens),
            models.Sum(m => m.OutputTokens),
            priced.Count == 0 ? null : priced.Sum(m => m.EstimatedCostUsd!.Value),
            models.Sum(m => m.UnpricedCalls),
            datedDays.FirstOrDefault(),
            datedDays.LastOrDefault());
        return new OverviewData(totals, [.. days.Select(Group)], [.. models.Select(Group)], prices.Source, prices.TakenOn);
    }

    private static OverviewGroup Group(StatsGroup group) => new(
        group.Key,
        group.Calls,
        group.Errors,
        group.InputTokens,
        group.OutputTokens,
        group.EstimatedCostUsd,
        group.UnpricedCalls,
        group.Latency?[0],
        group.Latency?[1],
        group.TimeToFirstToken?[0],
        group.TimeToFirstToken?[1]);
}
