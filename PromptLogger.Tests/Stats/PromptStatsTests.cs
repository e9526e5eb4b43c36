using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Stats;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Stats;

/// <summary><c>stats</c>' figures on real databases of both stores: counts, errors, tokens, cost and exact percentiles per group.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class PromptStatsTests(StoreKind kind)
{
    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(kind);

    [TearDown]
    public void TearDown() => _store?.Dispose();

    [Test]
    public void ByModel_CountsCallsErrorsTokensAndCost_PerModel()
    {
        var records = new List<PromptRecord>();
        for (var i = 1; i <= 100; i++)
        {
            records.Add(Chat("gpt-4.1", inferenceSeconds: i, error: i % 10 == 0 ? "boom" : null));
        }

        records.Add(Chat("my-own-model", inferenceSeconds: 3));
        records.Add(Chat("my-own-model", inferenceSeconds: 5));
        StoredRecords.Store(_store.Url, [.. records]);

        var groups = Run(StatsGrouping.Model);

        Assert.That(groups.Select(g => g.Key), Is.EqualTo(new[] { "gpt-4.1", "my-own-model" }));
        var gpt = groups[0];
        Assert.Multiple(() =>
        {
            Assert.That(gpt.Calls, Is.EqualTo(100));
            Assert.That(gpt.Errors, Is.EqualTo(10));
            Assert.That(gpt.ErrorRate, Is.EqualTo(0.1).Within(1e-12));
            Assert.That(gpt.InputTokens, Is.EqualTo(1200));
            Assert.That(gpt.OutputTokens, Is.EqualTo(700));
            // gpt-4.1: $2 per 1M input, $8 per 1M output; 12 in and 7 out a call.
            Assert.That(gpt.EstimatedCostUsd, Is.EqualTo(100 * ((12 * 2m) + (7 * 8m)) / 1_000_000m));
            Assert.That(gpt.UnpricedCalls, Is.Zero);
            // Exact, interpolated between ranks over 1..100 seconds.
            Assert.That(gpt.Latency, Is.EqualTo(new[] { 50.5, 95.05, 99.01 }).Within(1e-9));
            Assert.That(gpt.TimeToFirstToken, Is.Null, "no call streamed");
        });
        Assert.That(groups[1].EstimatedCostUsd, Is.Null, "an unknown model has no cost, never 0");
        Assert.That(groups[1].UnpricedCalls, Is.EqualTo(2));
        Assert.That(groups[1].Latency, Is.EqualTo(new[] { 4.0, 4.9, 4.98 }).Within(1e-9));
    }

    [Test]
    public void TimeToFirstToken_IsTakenFromTheCallsThatStreamed()
    {
        StoredRecords.Store(_store.Url,
            Chat("gpt-4.1", 1) with { Stream = true, TimeToFirstTokenSeconds = 0.2 },
            Chat("gpt-4.1", 1) with { Stream = true, TimeToFirstTokenSeconds = 0.4 },
            Chat("gpt-4.1", 1));

        Assert.That(Run(StatsGrouping.Model)[0].TimeToFirstToken, Is.EqualTo(new[] { 0.3, 0.39 }).Within(1e-9));
    }

    [Test]
    public void ByTag_CountsAPromptInEachOfItsTags_AndUntaggedOnesApart()
    {
        StoredRecords.Store(_store.Url,
            Chat("gpt-4.1", 1) with { Tags = StoredRecords.JsonBytes(new[] { "checkout", "v2" }) },
            Chat("gpt-4.1", 1) with { Tags = StoredRecords.JsonBytes(new[] { "checkout" }) },
            Chat("gpt-4.1", 1));

        var groups = Run(StatsGrouping.Tag).ToDictionary(g => g.Key ?? "(none)", g => g.Calls);

        Assert.That(groups, Is.EqualTo(new Dictionary<string, long> { ["checkout"] = 2, ["v2"] = 1, ["(none)"] = 1 }));
    }

    [Test]
    public void ByDay_GroupsByUtcDay_OldestFirst()
    {
        var day = new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        StoredRecords.Store(_store.Url,
            Chat("gpt-4.1", 1) with { InferenceOn = day + 3600 },
            Chat("gpt-4.1", 1) with { InferenceOn = day },
            Chat("gpt-4.1", 1) with { InferenceOn = day + 60 });

        var groups = Run(StatsGrouping.Day);

        Assert.That(groups.Select(g => (g.Key, g.Calls)), Is.EqualTo(new[] { ("2026-03-01", 2L), ("2026-03-02", 1L) }));
    }

    [Test]
    public void ByUserAndConversation_KeepToTheFilter()
    {
        StoredRecords.Store(_store.Url,
            Chat("gpt-4.1", 1) with { UserId = "u-1", ConversationId = "c-1" },
            Chat("gpt-4o", 1) with { UserId = "u-1", ConversationId = "c-2" },
            Chat("gpt-4.1", 1) with { UserId = "u-2", ConversationId = "c-2" },
            Chat("gpt-4.1", 1, @namespace: "elsewhere") with { UserId = "u-3" });

        var byUser = Run(StatsGrouping.User, ExportFilter.Create("default", ["gpt-4.1"]));
        var byConversation = Run(StatsGrouping.Conversation);

        Assert.That(byUser.Select(g => (g.Key, g.Calls)), Is.EquivalentTo(new[] { ("u-1", 1L), ("u-2", 1L) }));
        Assert.That(byConversation.Select(g => (g.Key, g.Calls)), Is.EqualTo(new[] { ("c-2", 2L), ("c-1", 1L) }));
    }

    [Test]
    public void AUserPriceFile_PricesAModelTheBuiltInTableDoesNotKnow()
    {
        StoredRecords.Store(_store.Url, Chat("my-own-model", 1));
        var file = _store.Temp.File("prices.json");
        File.WriteAllText(file, """{"models": [{"model": "my-own-model", "provider": "openai", "input": 1000000, "output": 0}]}""");

        Assert.That(Run(StatsGrouping.Model, prices: PriceTable.WithUserFile(file))[0].EstimatedCostUsd, Is.EqualTo(12m));
    }

    [Test]
    public void ALargeTableReadInParts_GivesTheFiguresOfOneRead()
    {
        var records = Enumerable.Range(1, 40).Select(i => Chat(i % 3 == 0 ? "gpt-4.1" : "gpt-4o", inferenceSeconds: i, error: i % 7 == 0 ? "boom" : null)).ToArray();
        StoredRecords.Store(_store.Url, records);
        var whole = Run(StatsGrouping.Model);

        var saved = PromptStats.MinimumPart;
        PromptStats.MinimumPart = 1;
        try
        {
            Assert.That(Run(StatsGrouping.Model).Select(Figures), Is.EqualTo(whole.Select(Figures)));
        }
        finally
        {
            PromptStats.MinimumPart = saved;
        }

        Assert.That(whole.Sum(g => g.Calls), Is.EqualTo(40));
    }

    [Test]
    public void SeveralGroupings_InOneRead_GiveWhatEachGivesAlone_AlsoReadInParts()
    {
        var day = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var records = Enumerable.Range(1, 40).Select(i => Chat(i % 3 == 0 ? "gpt-4.1" : "my-own-model", inferenceSeconds: i, error: i % 7 == 0 ? "boom" : null) with
        {
            InferenceOn = day + (i % 4 * 86_400),
            UserId = i % 2 == 0 ? "u-1" : null,
        }).ToArray();
        StoredRecords.Store(_store.Url, records);
        var store = PromptStore.Create(DatabaseUrl.Parse(_store.Url));
        var filter = ExportFilter.Create("default", null);
        StatsGrouping[] groupings = [StatsGrouping.Day, StatsGrouping.Model, StatsGrouping.User];

        var saved = PromptStats.MinimumPart;
        PromptStats.MinimumPart = 1;
        try
        {
            var together = PromptStats.Run(store.OpenForReading, store.Url.Kind, filter, PromptRecord.ChatKind, groupings, PriceTable.BuiltIn);

            Assert.That(together.Select(groups => groups.Select(Figures)), Is.EqualTo(groupings.Select(g => Run(g).Select(Figures))));
            Assert.That(together[0].Select(g => g.Key), Is.EqualTo(new[] { "2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04" }));
        }
        finally
        {
            PromptStats.MinimumPart = saved;
        }

        Assert.Throws<ArgumentException>(() => PromptStats.Run(store.OpenForReading, store.Url.Kind, filter, PromptRecord.ChatKind, [StatsGrouping.Tag, StatsGrouping.Model], PriceTable.BuiltIn));
    }

    private static string Figures(StatsGroup g) =>
        FormattableString.Invariant($"{g.Key} {g.Calls} {g.Errors} {g.InputTokens} {g.OutputTokens} {g.EstimatedCostUsd} {string.Join(',', g.Latency!)}");

    [Test]
    public void NothingSelected_NoGroups()
    {
        StoredRecords.Store(_store.Url, Chat("gpt-4.1", 1));

        Assert.That(Run(StatsGrouping.Model, ExportFilter.Create("empty", null)), Is.Empty);
    }

    private static PromptRecord Chat(string model, double inferenceSeconds, string? error = null, string @namespace = "default") =>
        StoredRecords.Chat(@namespace, "q", "a", model) with { Id = Guid.NewGuid().ToString(), InferenceSeconds = inferenceSeconds, Error = error };

    private IReadOnlyList<StatsGroup> Run(StatsGrouping grouping, ExportFilter? filter = null, PriceTable? prices = null)
    {
        var store = PromptStore.Create(DatabaseUrl.Parse(_store.Url));
        return PromptStats.Run(store.OpenForReading, store.Url.Kind, filter ?? ExportFilter.Create("default", null), PromptRecord.ChatKind, grouping, prices ?? PriceTable.BuiltIn);
    }
}
