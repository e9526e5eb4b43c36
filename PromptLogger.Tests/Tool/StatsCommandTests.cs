using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary><c>prompt-logger stats</c> on both stores, through the real tool process.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class StatsCommandTests(StoreKind kind)
{
    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(kind);

    [TearDown]
    public void TearDown()
    {
        _store?.Dispose();
        _store = null!;
    }

    [Test]
    public void Stats_Json_PrintsOneObjectAGroup()
    {
        StoredRecords.Store(_store.Url,
            StoredRecords.Chat("default", "a", model: "gpt-4.1") with { InferenceSeconds = 1 },
            StoredRecords.Chat("default", "b", model: "gpt-4.1") with { InferenceSeconds = 3, Error = "boom" },
            StoredRecords.Chat("default", "c", model: "my-own-model") with { InferenceSeconds = 2 });

        var result = PromptLoggerCommand.RunProcess(_store.Temp.Path, "stats", "--json", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = ToolResult.ParseJsonl(result.Out);
        Assert.That(lines.Select(l => (string?)l["model"]), Is.EqualTo(new[] { "gpt-4.1", "my-own-model" }));
        Assert.Multiple(() =>
        {
            Assert.That((long)lines[0]["calls"]!, Is.EqualTo(2));
            Assert.That((long)lines[0]["errors"]!, Is.EqualTo(1));
            Assert.That((double)lines[0]["error_rate"]!, Is.EqualTo(0.5));
            Assert.That((long)lines[0]["input_tokens"]!, Is.EqualTo(24));
            Assert.That((decimal)lines[0]["estimated_cost_usd"]!, Is.EqualTo(2 * 0.00008m));
            Assert.That((double)lines[0]["latency_seconds"]!["p50"]!, Is.EqualTo(2.0));
            Assert.That((double)lines[0]["latency_seconds"]!["p99"]!, Is.EqualTo(2.98).Within(1e-9));
            Assert.That(lines[1].ContainsKey("estimated_cost_usd"), Is.False, "an unknown model has no cost, never 0");
        });
    }

    [Test]
    public void Stats_Redirected_PrintsAHeaderAndTabSeparatedRows()
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "a", model: "gpt-4.1") with { InferenceSeconds = 1.5, UserId = "u-1" });

        var result = PromptLoggerCommand.RunProcess(_store.Temp.Path, "stats", "--by", "user", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("user\tcalls\terrors\terror_rate\tinput_tokens\toutput_tokens\testimated_cost_usd\tlatency_p50\tlatency_p95\tlatency_p99\tttft_p50\tttft_p95"));
        Assert.That(lines[1], Is.EqualTo("u-1\t1\t0\t0\t12\t7\t0.00008\t1.5\t1.5\t1.5\t\t"));
    }

    [TestCase("--by", "week", "--by must be one of model, namespace, day, conversation, user, tag, not 'week'")]
    [TestCase("--type", "json", "--type must be chat or text")]
    public void Stats_WithABadOption_ExitsTwo(string flag, string value, string reason)
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "a"));

        var result = PromptLoggerCommand.Run("stats", flag, value, "-d", _store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain(reason));
    }

    [Test]
    public void Stats_WithAMissingPriceFile_ExitsOne()
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "a"));

        var result = PromptLoggerCommand.Run("stats", "--prices", _store.Temp.File("no-such-prices.json"), "-d", _store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("no-such-prices.json"));
    }
}
