using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Pricing;

/// <summary><see cref="PromptLoggerOptions.PriceTable"/>: the user's file is read when the logger is created.</summary>
[TestFixture]
public sealed class PriceTableOptionTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void ALogger_PricesWithTheBuiltInTable_PlusTheUsersFile()
    {
        var prices = _temp.File("prices.json");
        File.WriteAllText(prices, """{ "models": [ { "model": "my-deployment", "input": 3, "output": 12 }, { "model": "gpt-4o", "input": 1, "output": 1 } ] }""");

        using var logger = new PromptLogger(new PromptLoggerOptions { Database = _temp.DatabaseUrl(), PriceTable = prices });

        var now = DateTimeOffset.UtcNow;
        Assert.Multiple(() =>
        {
            Assert.That(logger.Prices.EstimateCost("my-deployment", null, null, 1_000_000, null, 0, now), Is.EqualTo(3m));
            Assert.That(logger.Prices.EstimateCost("gpt-4o", null, null, 1_000_000, null, 0, now), Is.EqualTo(1m), "the user's entry overrides");
            Assert.That(logger.Prices.EstimateCost("claude-haiku-4-5", null, null, 1_000_000, null, 0, now), Is.EqualTo(1m), "built-in entries stay");
        });
    }

    [Test]
    public void ALogger_WithoutAPriceFile_UsesTheBuiltInTable()
    {
        using var logger = new PromptLogger(new PromptLoggerOptions { Database = _temp.DatabaseUrl() });

        Assert.That(logger.Prices, Is.SameAs(PromptLogging.Pricing.PriceTable.BuiltIn));
    }

    [Test]
    public void AMalformedPriceFile_FailsTheLoggersCreation_NamingTheFileAndTheEntry()
    {
        var prices = _temp.File("prices.json");
        File.WriteAllText(prices, "{ \"models\": [\n  { \"model\": \"cheap\", \"input\": -2, \"output\": 1 }\n] }");

        var e = Assert.Throws<ArgumentException>(() => new PromptLogger(new PromptLoggerOptions { Database = _temp.DatabaseUrl(), PriceTable = prices }).Dispose());

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo(nameof(PromptLoggerOptions.PriceTable)));
            Assert.That(e.Message, Does.Contain(prices).And.Contain("line 2").And.Contain("\"cheap\"").And.Contain("cannot be negative"));
            Assert.That(File.Exists(_temp.File("prompts.db")), Is.False, "nothing is created before the options are valid");
        });
    }

    [Test]
    public void AMissingPriceFile_FailsTheLoggersCreation()
    {
        var missing = _temp.File("missing.json");

        var e = Assert.Throws<ArgumentException>(() => new PromptLogger(new PromptLoggerOptions { Database = _temp.DatabaseUrl(), PriceTable = missing }).Dispose());

        Assert.That(e!.Message, Does.Contain(missing).And.Contain("does not exist"));
    }
}
