using System.Text.Json;
using PromptLogging.Pricing;

namespace PromptLogging.Tests.Pricing;

/// <summary>The table shipped in the package: it loads, and every entry is a plausible price.</summary>
[TestFixture]
public sealed class BuiltInPricesTests
{
    private static IEnumerable<ModelPrice> Entries => PriceTable.BuiltIn.Entries;

    private static IEnumerable<TestCaseData> EntryCases() =>
        Entries.Select(e => new TestCaseData((object)e).SetArgDisplayNames($"{e.Model} from {e.EffectiveFrom?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "the beginning"}"));

    [Test]
    public void BuiltIn_IsDated_AndCoversEachProvider()
    {
        var table = PriceTable.BuiltIn;

        Assert.Multiple(() =>
        {
            Assert.That(table.TakenOn, Is.Not.Null);
            Assert.That(table.TakenOn, Is.LessThanOrEqualTo(DateOnly.FromDateTime(DateTime.UtcNow)));
            Assert.That(table.Entries.Select(e => e.Provider).Distinct(), Is.EquivalentTo(new[] { "openai", "anthropic", "google" }));
        });
    }

    [Test]
    public void BuiltIn_NamesASourcePerProvider_AzureIncluded()
    {
        using var file = JsonDocument.Parse(ReadResource(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var sources = file.RootElement.GetProperty("sources");

        foreach (var provider in new[] { "openai", "azure", "anthropic", "google" })
        {
            Assert.That(Uri.TryCreate(sources.GetProperty(provider).GetString(), UriKind.Absolute, out var url) && url.Scheme == "https", provider);
        }
    }

    [TestCaseSource(nameof(EntryCases))]
    public void EveryEntry_HasPositivePrices_CachedBelowInput_OutputAtLeastInput(object priced)
    {
        var entry = (ModelPrice)priced;
        foreach (var prices in new[] { entry.Prices, entry.LongContext?.Prices }.OfType<TokenPrices>())
        {
            Assert.Multiple(() =>
            {
                Assert.That(prices.Input, Is.Positive);
                Assert.That(prices.Output, Is.Positive);
                Assert.That(prices.Output, Is.GreaterThanOrEqualTo(prices.Input), "every model priced here charges more for output");
                Assert.That(prices.Input, Is.LessThan(200m), "USD per 1M tokens, not per token or per 1K");
                if (prices.CachedInput is { } cached)
                {
                    Assert.That(cached, Is.Positive.And.LessThan(prices.Input));
                }
            });
        }

        if (entry.LongContext is { } longContext)
        {
            Assert.That(longContext.Prices.Input, Is.GreaterThan(entry.Prices.Input));
        }
    }

    [Test]
    public void EveryDate_IsOnOrBeforeTheDayTheTableWasTaken()
    {
        var takenOn = PriceTable.BuiltIn.TakenOn!.Value;

        Assert.That(Entries.Where(e => e.EffectiveFrom > takenOn).Select(e => e.Model), Is.Empty);
    }

    // The names people send, and which entry must price them.
    [TestCase("gpt-4.1-2025-04-14", "gpt-4.1")]
    [TestCase("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini")]
    [TestCase("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [TestCase("gpt-4o-2024-11-20", "gpt-4o")]
    [TestCase("o3-2025-04-16", "o3")]
    [TestCase("o3-mini-2025-01-31", "o3-mini")]
    [TestCase("o4-mini-2025-04-16", "o4-mini")]
    [TestCase("gpt-5-2025-08-07", "gpt-5")]
    [TestCase("gpt-5-mini-2025-08-07", "gpt-5-mini")]
    [TestCase("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [TestCase("claude-sonnet-4-20250514", "claude-sonnet-4")]
    [TestCase("claude-opus-4-1-20250805", "claude-opus-4-1")]
    [TestCase("claude-haiku-4-5-20251001", "claude-haiku-4-5")]
    [TestCase("claude-3-5-haiku-20241022", "claude-3-5-haiku")]
    [TestCase("claude-3-7-sonnet-latest", "claude-3-7-sonnet")]
    [TestCase("gemini-2.5-flash-lite-preview-06-17", "gemini-2.5-flash-lite")]
    [TestCase("gemini-2.5-pro-preview-05-06", "gemini-2.5-pro")]
    [TestCase("gemini-2.0-flash-001", "gemini-2.0-flash")]
    public void BuiltIn_PricesDatedSnapshotsAsTheirModel(string model, string entry)
    {
        Assert.That(PriceTable.BuiltIn.Find(model, DateTimeOffset.UtcNow)?.Model, Is.EqualTo(entry));
    }

    [Test]
    public void BuiltIn_OpenAIAndAnthropicExamples_CostWhatTheirPagesSay()
    {
        var now = DateTimeOffset.UtcNow;
        var table = PriceTable.BuiltIn;

        Assert.Multiple(() =>
        {
            // gpt-5-nano, read on its model page: 0.05 input, 0.005 cached, 0.40 output.
            Assert.That(table.EstimateCost("gpt-5-nano", null, "openai", 2_000_000, 1_000_000, 1_000_000, now), Is.EqualTo(0.05m + 0.005m + 0.40m));
            // Claude Haiku 4.5 on Anthropic's page: 1 input, 0.10 cache hits, 5 output.
            Assert.That(table.EstimateCost("claude-haiku-4-5", null, "anthropic", 1_000_000, 1_000_000, 1_000_000, now), Is.EqualTo(1m + 0.1m + 5m));
        });
    }

    private static byte[] ReadResource()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream("PromptLogging.Pricing.prices.json")!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
