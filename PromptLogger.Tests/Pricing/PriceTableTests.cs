using System.Text;
using PromptLogging.Pricing;

namespace PromptLogging.Tests.Pricing;

/// <summary>Which entry prices a model name at a time: exact name, longest prefix, dated entries, response model first.</summary>
[TestFixture]
public sealed class PriceTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static PriceTable Table(string modelsJson) =>
        PriceFileReader.Read(Encoding.UTF8.GetBytes($$"""{ "models": [ {{modelsJson}} ] }"""), "test.json");

    private static readonly PriceTable Family = Table("""
        { "model": "gpt-4.1", "input": 2, "cached_input": 0.5, "output": 8 },
        { "model": "gpt-4.1-mini", "input": 0.4, "cached_input": 0.1, "output": 1.6 },
        { "model": "gpt-5", "input": 1.25, "output": 10 },
        { "model": "claude-sonnet-4-5", "provider": "anthropic", "input": 3, "cached_input": 0.3, "output": 15 }
        """);

    [TestCase("gpt-4.1", "gpt-4.1")]
    [TestCase("GPT-4.1", "gpt-4.1")]
    [TestCase("gpt-4.1-2025-04-14", "gpt-4.1")]
    [TestCase("gpt-4.1-mini", "gpt-4.1-mini")]
    [TestCase("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini")]
    [TestCase("gpt-5-chat-latest", "gpt-5")]
    [TestCase("claude-sonnet-4-5@20250929", "claude-sonnet-4-5")]
    [TestCase("openai/gpt-4.1", "gpt-4.1")]
    public void Find_TakesTheExactName_ElseTheLongestPrefix(string model, string entry)
    {
        Assert.That(Family.Find(model, Now)?.Model, Is.EqualTo(entry));
    }

    [TestCase("gpt-5.5")]        // another model, not a version of gpt-5
    [TestCase("gpt-4.10")]
    [TestCase("gpt-4")]          // shorter than every entry
    [TestCase("gpt-5x")]
    [TestCase("llama-3-70b")]
    [TestCase("")]
    [TestCase(null)]
    public void Find_DoesNotPriceANameThatOnlyLooksAlike(string? model)
    {
        Assert.That(Family.Find(model, Now), Is.Null);
    }

    [Test]
    public void Find_TakesTheEntryInEffectAtTheRecordsTime()
    {
        var table = Table("""
            { "model": "o3", "effective_from": "2025-06-10", "input": 2, "output": 8 },
            { "model": "o3", "effective_from": "2025-04-16", "input": 10, "output": 40 }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(table.Find("o3", new DateTimeOffset(2025, 4, 15, 23, 59, 59, TimeSpan.Zero)), Is.Null, "before any known price: unknown, not free");
            Assert.That(table.Find("o3", new DateTimeOffset(2025, 4, 16, 0, 0, 0, TimeSpan.Zero))?.Prices.Input, Is.EqualTo(10m));
            Assert.That(table.Find("o3-2025-04-16", new DateTimeOffset(2025, 6, 9, 23, 0, 0, TimeSpan.Zero))?.Prices.Input, Is.EqualTo(10m));
            Assert.That(table.Find("o3", new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero))?.Prices.Input, Is.EqualTo(2m));
            Assert.That(table.Find("o3", Now)?.Prices.Input, Is.EqualTo(2m));
        });
    }

    [Test]
    public void Find_ComparesTheDateInUtc()
    {
        var table = Table("""{ "model": "m", "effective_from": "2026-01-01", "input": 1, "output": 2 }""");

        // 2026-01-01 01:00 in UTC+02:00 is still 2025-12-31 in UTC.
        Assert.That(table.Find("m", new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.FromHours(2))), Is.Null);
    }

    [Test]
    public void With_UserEntriesReplaceEveryEntryOfTheirName_AndAddNewNames()
    {
        var builtIn = Table("""
            { "model": "o3", "effective_from": "2025-04-16", "input": 10, "output": 40 },
            { "model": "o3", "effective_from": "2025-06-10", "input": 2, "output": 8 },
            { "model": "gpt-4o", "input": 2.5, "output": 10 }
            """);
        var user = Table("""
            { "model": "O3", "input": 1, "output": 4 },
            { "model": "my-azure-deployment", "input": 2.75, "output": 11 }
            """);

        var merged = builtIn.With(user);

        Assert.Multiple(() =>
        {
            Assert.That(merged.Find("o3", new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero))?.Prices.Input, Is.EqualTo(1m), "the user's undated entry replaces the dated ones");
            Assert.That(merged.Find("o3", Now)?.Prices.Input, Is.EqualTo(1m));
            Assert.That(merged.Find("my-azure-deployment", Now)?.Prices.Output, Is.EqualTo(11m));
            Assert.That(merged.Find("gpt-4o-2024-08-06", Now)?.Prices.Input, Is.EqualTo(2.5m), "built-in entries the user did not name stay");
            Assert.That(merged.Entries, Has.Count.EqualTo(3));
            Assert.That(builtIn.Find("o3", Now)?.Prices.Input, Is.EqualTo(2m), "the built-in table is left as it was");
        });
    }

    [Test]
    public void EstimateCost_IsPerMillionTokens_AtEachTokensPrice()
    {
        // 1,000 input at 2, 500 output at 8: 0.002 + 0.004.
        Assert.That(Family.EstimateCost("gpt-4.1", null, "openai", 1_000, null, 500, Now), Is.EqualTo(0.006m));
    }

    [Test]
    public void EstimateCost_PricesByTheResponseModel_WhenTheTableKnowsIt()
    {
        Assert.Multiple(() =>
        {
            // Asked for an alias or an Azure deployment name; answered by gpt-4.1-mini.
            Assert.That(Family.EstimateCost("my-deployment", "gpt-4.1-mini-2025-04-14", "openai", 1_000_000, null, 0, Now), Is.EqualTo(0.4m));
            Assert.That(Family.EstimateCost("gpt-4.1", "gpt-4.1-mini", "openai", 1_000_000, null, 0, Now), Is.EqualTo(0.4m));
            // A response model the table does not know: priced by the model asked for.
            Assert.That(Family.EstimateCost("gpt-4.1", "some-fine-tune", "openai", 1_000_000, null, 0, Now), Is.EqualTo(2m));
        });
    }

    [Test]
    public void EstimateCost_OfAnUnknownModelOrWithoutUsage_IsNull_NeverZero()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Family.EstimateCost("llama-3-70b", null, "openai", 1_000, 0, 100, Now), Is.Null);
            Assert.That(Family.EstimateCost(null, null, null, 1_000, 0, 100, Now), Is.Null);
            Assert.That(Family.EstimateCost("gpt-4.1", null, "openai", null, null, null, Now), Is.Null);
            Assert.That(Family.EstimateCost("gpt-4.1", null, "openai", null, 10, null, Now), Is.Null);
            Assert.That(Family.EstimateCost("gpt-4.1", null, "openai", -1, null, 10, Now), Is.Null);
            Assert.That(Family.EstimateCost("gpt-4.1", null, "openai", 0, 0, 0, Now), Is.EqualTo(0m), "zero tokens of a known model do cost nothing");
        });
    }

    [Test]
    public void EstimateCost_WithOnlyOneSideOfUsage_PricesThatSide()
    {
        Assert.That(Family.EstimateCost("gpt-4.1", null, "openai", 1_000_000, null, null, Now), Is.EqualTo(2m));
    }

    [Test]
    public void EstimateCost_OpenAI_TakesCachedTokensOutOfTheInputCount()
    {
        // OpenAI's prompt_tokens = 1,000,000 of which 600,000 cached: 400,000 × 2 + 600,000 × 0.5 = 0.8 + 0.3.
        var cost = Family.EstimateCost("gpt-4.1", null, "openai", 1_000_000, 600_000, 0, Now);

        Assert.That(cost, Is.EqualTo(1.1m), "not 2.0 + 0.3: cached tokens are not also counted at the full price");
    }

    [Test]
    public void EstimateCost_Anthropic_AddsCacheReadsReportedApart()
    {
        // Anthropic's input_tokens = 400,000 not read from the cache, cache_read_input_tokens = 600,000:
        // 400,000 × 3 + 600,000 × 0.3 = 1.2 + 0.18.
        var cost = Family.EstimateCost("claude-sonnet-4-5", null, "anthropic", 400_000, 600_000, 0, Now);

        Assert.That(cost, Is.EqualTo(1.38m));
    }

    [Test]
    public void EstimateCost_WithoutAProvider_CountsCachedTokensTheWayTheEntrysProviderReportsThem()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Family.EstimateCost("claude-sonnet-4-5", null, null, 400_000, 600_000, 0, Now), Is.EqualTo(1.38m));
            Assert.That(Family.EstimateCost("gpt-4.1", null, null, 1_000_000, 600_000, 0, Now), Is.EqualTo(1.1m));
        });
    }

    [Test]
    public void EstimateCost_NeverCountsMoreCachedTokensThanThePromptHad()
    {
        // Inconsistent usage (cached above the input that includes it): at most the whole prompt, at the cached price.
        Assert.That(Family.EstimateCost("gpt-4.1", null, "openai", 1_000_000, 3_000_000, 0, Now), Is.EqualTo(0.5m));
    }

    [Test]
    public void EstimateCost_WithoutACachedPrice_CountsCachedTokensAtTheInputPrice()
    {
        Assert.That(Family.EstimateCost("gpt-5", null, "openai", 1_000_000, 500_000, 0, Now), Is.EqualTo(1.25m));
    }

    [Test]
    public void EstimateCost_AboveTheLongContextThreshold_UsesItsPricesForTheWholeCall()
    {
        var table = Table("""
            { "model": "gemini-2.5-pro", "input": 1.25, "cached_input": 0.125, "output": 10,
              "long_context": { "above_input_tokens": 200000, "input": 2.5, "cached_input": 0.25, "output": 15 } }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(table.EstimateCost("gemini-2.5-pro", null, "google", 200_000, 0, 1_000_000, Now), Is.EqualTo(0.25m + 10m));
            Assert.That(table.EstimateCost("gemini-2.5-pro", null, "google", 200_001, 0, 1_000_000, Now), Is.EqualTo(0.5000025m + 15m));
            // A 250,000-token prompt, 100,000 of them cached: the prompt's length counts the cached tokens too.
            Assert.That(table.EstimateCost("gemini-2.5-pro", null, "google", 250_000, 100_000, 0, Now), Is.EqualTo(0.375m + 0.025m));
        });
    }

    [Test]
    public void EstimateCost_FromARecordsInferenceOn_UsesTheEntryInEffectThen()
    {
        var table = Table("""
            { "model": "o3", "effective_from": "2025-04-16", "input": 10, "output": 40 },
            { "model": "o3", "effective_from": "2025-06-10", "input": 2, "output": 8 }
            """);
        var may2025 = new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var july2025 = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

        Assert.Multiple(() =>
        {
            Assert.That(table.EstimateCost("o3", null, "openai", 1_000_000, null, 0, (double)may2025), Is.EqualTo(10m));
            Assert.That(table.EstimateCost("o3", null, "openai", 1_000_000, null, 0, (double)july2025), Is.EqualTo(2m));
            Assert.That(table.EstimateCost("o3", null, "openai", 1_000_000, null, 0, 0d), Is.Null, "1970: before any known price");
            Assert.That(table.EstimateCost("o3", null, "openai", 1_000_000, null, 0, double.MaxValue), Is.EqualTo(2m));
        });
    }
}
