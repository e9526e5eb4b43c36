using System.Text.Json;
using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Stats;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;
using PromptLogging.Tool.Browsing;
using PromptLogging.Tool.Web.Overview;

namespace PromptLogging.Tests.Web;

/// <summary>The overview's figures are stats' own for the same selection, on both stores.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class OverviewQueryTests(StoreKind kind)
{
    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(kind);

    [TearDown]
    public void TearDown() => _store?.Dispose();

    [Test]
    public void Load_GivesStatsFiguresByDayAndByModel_AndTheirTotals()
    {
        OverviewSample.Store(_store.Url);
        StoredRecords.Store(_store.Url, OverviewSample.Chat("elsewhere", "gpt-4.1", OverviewSample.FirstDay, 1));
        var filter = ExportFilter.Create("default", null);

        var overview = Load(filter);

        var store = PromptStore.Create(DatabaseUrl.Parse(_store.Url));
        var days = PromptStats.Run(store.OpenForReading, store.Url.Kind, filter, PromptRecord.ChatKind, StatsGrouping.Day, PriceTable.BuiltIn);
        var models = PromptStats.Run(store.OpenForReading, store.Url.Kind, filter, PromptRecord.ChatKind, StatsGrouping.Model, PriceTable.BuiltIn);
        Assert.Multiple(() =>
        {
            Assert.That(overview.Days.Select(d => (d.Key, d.Calls, d.Errors)), Is.EqualTo(days.Select(d => (d.Key, d.Calls, d.Errors))));
            Assert.That(overview.Days.Select(d => (d.Key, d.Calls)), Is.EqualTo(new[] { ("2026-03-01", 6L), ("2026-03-02", 5L), ("2026-03-04", 4L) }));
            Assert.That(overview.Models.Select(m => (m.Key, m.Calls, m.InputTokens, m.OutputTokens, m.EstimatedCostUsd)),
                Is.EqualTo(models.Select(m => (m.Key, m.Calls, m.InputTokens, m.OutputTokens, m.EstimatedCostUsd))));
            Assert.That(overview.Models.Select(m => (m.LatencyP50, m.LatencyP95)), Is.EqualTo(models.Select(m => (m.Latency?[0], m.Latency?[1]))));
            Assert.That(overview.Models.Select(m => (m.TimeToFirstTokenP50, m.TimeToFirstTokenP95)), Is.EqualTo(models.Select(m => (m.TimeToFirstToken?[0], m.TimeToFirstToken?[1]))));
        });

        var gpt41 = overview.Models.Single(m => m.Key == "gpt-4.1");
        var gpt4o = overview.Models.Single(m => m.Key == "gpt-4o");
        var own = overview.Models.Single(m => m.Key == "my-own-model");
        Assert.Multiple(() =>
        {
            Assert.That(gpt41.Calls, Is.EqualTo(10));
            Assert.That(gpt41.Errors, Is.EqualTo(1));
            Assert.That(gpt41.ErrorRate, Is.EqualTo(0.1).Within(1e-12));
            // Latencies 0.5, 1.5 … 5.5 and 3, 4, 5, 6: the median between 3.5 and 4, exact.
            Assert.That(gpt41.LatencyP50, Is.EqualTo(3.75).Within(1e-9));
            // gpt-4.1: $2 per 1M input, $8 per 1M output; 12 in and 7 out a call.
            Assert.That(gpt41.EstimatedCostUsd, Is.EqualTo(10 * ((12 * 2m) + (7 * 8m)) / 1_000_000m));
            Assert.That(gpt4o.TimeToFirstTokenP50, Is.EqualTo(0.2).Within(1e-9));
            Assert.That(own.EstimatedCostUsd, Is.Null, "an unknown model has no cost, never 0");
            Assert.That(own.UnpricedCalls, Is.EqualTo(2));
            Assert.That(overview.Totals.Calls, Is.EqualTo(15));
            Assert.That(overview.Totals.Errors, Is.EqualTo(1));
            Assert.That(overview.Totals.InputTokens, Is.EqualTo(15 * 12));
            Assert.That(overview.Totals.OutputTokens, Is.EqualTo(15 * 7));
            Assert.That(overview.Totals.EstimatedCostUsd, Is.EqualTo(gpt41.EstimatedCostUsd + gpt4o.EstimatedCostUsd));
            Assert.That(overview.Totals.UnpricedCalls, Is.EqualTo(2));
            Assert.That((overview.Totals.FirstDay, overview.Totals.LastDay), Is.EqualTo(("2026-03-01", "2026-03-04")));
        });
    }

    [Test]
    public void Load_KeepsToTheFilter()
    {
        OverviewSample.Store(_store.Url);

        var overview = Load(ExportFilter.Create("default", ["gpt-4o"]) with { Since = OverviewSample.FirstDay.AddDays(1).AddHours(3) });

        Assert.That(overview.Totals.Calls, Is.EqualTo(2));
        Assert.That(overview.Models.Select(m => m.Key), Is.EqualTo(new[] { "gpt-4o" }));
        Assert.That(overview.Days.Select(d => d.Key), Is.EqualTo(new[] { "2026-03-02" }));
    }

    [Test]
    public void Load_OfNothing_IsEmpty_WithNoCost()
    {
        OverviewSample.Store(_store.Url);

        var overview = Load(ExportFilter.Create("nobody-here", null));

        Assert.That(overview.IsEmpty, Is.True);
        Assert.That(overview.Days, Is.Empty);
        Assert.That(overview.Totals.EstimatedCostUsd, Is.Null);
        Assert.That(overview.Totals.FirstDay, Is.Null);
    }

    [Test]
    public void OverviewData_SerialisesAsJson_WithSnakeCaseNames()
    {
        OverviewSample.Store(_store.Url);

        var json = JsonSerializer.SerializeToElement(Load(ExportFilter.Create("default", null)));

        Assert.That(json.GetProperty("totals").GetProperty("calls").GetInt64(), Is.EqualTo(15));
        Assert.That(json.GetProperty("totals").GetProperty("error_rate").GetDouble(), Is.EqualTo(1 / 15.0).Within(1e-12));
        var own = json.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("key").GetString() == "my-own-model");
        Assert.That(own.GetProperty("estimated_cost_usd").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(json.GetProperty("days")[0].GetProperty("key").GetString(), Is.EqualTo("2026-03-01"));
    }

    private OverviewData Load(ExportFilter filter)
    {
        using var session = ReadSession.Open(_store.Url);
        return OverviewQuery.Load(session, filter, PriceTable.BuiltIn, CancellationToken.None);
    }
}
