using System.Text;
using PromptLogging.Pricing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Pricing;

/// <summary>A price file is written by hand: every mistake is refused with the file, the line, the entry and what is wrong.</summary>
[TestFixture]
public sealed class PriceFileReaderTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Write(string json)
    {
        var path = _temp.File("my-prices.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Test]
    public void Load_ReadsAFileOfTheBuiltInShape()
    {
        var path = Write("""
            {
              // Comments and trailing commas are fine in a hand-written file.
              "taken_on": "2026-11-01",
              "sources": { "us": "https://example.com/prices" },
              "notes": "our negotiated prices",
              "models": [
                { "model": "my-model", "provider": "openai", "effective_from": "2026-01-01", "input": 1.5, "cached_input": null, "output": 6,
                  "long_context": { "above_input_tokens": 128000, "input": 3, "output": 12 }, "note": "n" },
              ],
            }
            """);

        var table = PriceTable.Load(path);

        var entry = table.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(table.TakenOn, Is.EqualTo(new DateOnly(2026, 11, 1)));
            Assert.That(table.Source, Is.EqualTo(path));
            Assert.That(entry.Model, Is.EqualTo("my-model"));
            Assert.That(entry.EffectiveFrom, Is.EqualTo(new DateOnly(2026, 1, 1)));
            Assert.That(entry.Prices, Is.EqualTo(new TokenPrices(1.5m, null, 6m)));
            Assert.That(entry.LongContext, Is.EqualTo(new LongContextPrices(128_000, new TokenPrices(3m, null, 12m))));
        });
    }

    [Test]
    public void Load_AFileThatDoesNotExist_SaysWhich()
    {
        var missing = _temp.File("nope.json");

        var e = Assert.Throws<FileNotFoundException>(() => PriceTable.Load(missing));

        Assert.That(e!.Message, Does.Contain(missing).And.Contain("does not exist"));
    }

    // Each case: the file, the line the message names, and words of what it says is wrong.
    [TestCase("{ \"models\": [\n  { \"model\": \"a\", \"input\": -1, \"output\": 2 }\n] }", 2, "models[0] (\"a\"): \"input\" is -1; a price (USD per 1M tokens) cannot be negative")]
    [TestCase("{ \"models\": [\n  { \"model\": \"a\", \"input\": 1, \"output\": 2 },\n  { \"model\": \"b\", \"input\": 1,\n    \"output\": -0.5 }\n] }", 4, "models[1] (\"b\"): \"output\" is -0.5")]
    [TestCase("{ \"models\": [ { \"model\": \"a\", \"input\": 1, \"cached_input\": -0.1, \"output\": 2 } ] }", 1, "\"cached_input\" is -0.1")]
    [TestCase("{ \"models\": [ { \"model\": \"a\", \"input\": 1, \"output\": 2,\n \"long_context\": { \"above_input_tokens\": 10, \"input\": -3, \"output\": 4 } } ] }", 2, "\"long_context.input\" is -3")]
    [TestCase("{ \"models\": [ { \"model\": \"a\", \"input\": \"2.50\", \"output\": 2 } ] }", 1, "\"input\" must be a number")]
    [TestCase("{ \"models\": [ { \"model\": \"a\", \"input\": 1 } ] }", 1, "\"output\" is missing")]
    [TestCase("{ \"models\": [ { \"input\": 1, \"output\": 2 } ] }", 1, "models[0]: \"model\" is missing")]
    [TestCase("{ \"models\": [ { \"model\": \"a\", \"input\": 1, \"ouput\": 2 } ] }", 1, "unknown property \"ouput\"")]
    [TestCase("{ \"models\": [ { \"model\": \" a\", \"input\": 1, \"output\": 2 } ] }", 1, "\"model\" is \" a\"")]
    [TestCase("{ \"models\": [ { \"model\": \"a\", \"effective_from\": \"1/2/2025\", \"input\": 1, \"output\": 2 } ] }", 1, "\"effective_from\" is \"1/2/2025\"; give a date as YYYY-MM-DD")]
    [TestCase("{ \"models\": [\n { \"model\": \"a\", \"input\": 1, \"output\": 2 },\n { \"model\": \"A\", \"input\": 3, \"output\": 4 } ] }", 3, "\"A\" is already priced from the beginning")]
    [TestCase("{ \"models\": [ { \"model\": \"a\", \"input\": 1, \"output\": 2, \"long_context\": { \"input\": 1, \"output\": 2 } } ] }", 1, "\"long_context.above_input_tokens\" is missing")]
    [TestCase("{ \"models\": [ { \"model\": \"a\", \"input\": 1, \"output\": 2, \"long_context\": { \"above_input_tokens\": 0, \"input\": 1, \"output\": 2 } } ] }", 1, "at least 1")]
    [TestCase("{ \"models\": { \"model\": \"a\" } }", 1, "\"models\" must be a list")]
    [TestCase("{ \"prices\": [] }", 1, "unknown property \"prices\"")]
    [TestCase("[ { \"model\": \"a\", \"input\": 1, \"output\": 2 } ]", 1, "one JSON object")]
    [TestCase("{ \"models\": [ \"gpt-4o\" ] }", 1, "an entry must be an object")]
    [TestCase("{ \"taken_on\": \"yesterday\", \"models\": [] }", 1, "\"taken_on\" is \"yesterday\"")]
    [TestCase("{\n  \"models\": [\n    { \"model\": \"a\", \"input\": 1 \"output\": 2 }\n  ]\n}", 3, "column 32 is not valid JSON: '\"' is invalid after a value")]
    public void Load_AMalformedFile_NamesTheFileTheLineTheEntryAndWhatIsWrong(string json, int line, string what)
    {
        var path = Write(json);

        var e = Assert.Throws<InvalidDataException>(() => PriceTable.Load(path));

        Assert.That(e!.Message, Does.Contain(path).And.Contain($"line {line}").And.Contain(what));
    }

    [Test]
    public void Load_AFolderOrSomethingEndless_IsRefusedWithTheReason()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => PriceTable.Load(_temp.Path), Throws.TypeOf<InvalidDataException>().With.Message.Contain(_temp.Path).And.Message.Contain("cannot be read"));
            if (File.Exists("/dev/zero"))
            {
                Assert.That(() => PriceTable.Load("/dev/zero"), Throws.TypeOf<InvalidDataException>().With.Message.Contain("larger than 16 MB"));
            }
        });
    }

    [Test]
    public void Load_AFileWithoutModels_SaysWhatToGive()
    {
        var path = Write("""{ "taken_on": "2026-11-01" }""");

        var e = Assert.Throws<InvalidDataException>(() => PriceTable.Load(path));

        Assert.That(e!.Message, Does.Contain(path).And.Contain("no \"models\" list"));
    }

    [Test]
    public void Load_HostileText_IsEscapedInTheMessage()
    {
        var path = Write("{ \"models\": [ { \"model\": \"a\\u001b[2J\\u0007\", \"input\": 1, \"output\": 2 }, { \"\\u001b]0;pwned\\u0007\": 1 } ] }");

        var e = Assert.Throws<InvalidDataException>(() => PriceTable.Load(path));

        Assert.That(e!.Message.Any(char.IsControl), Is.False, e.Message);
    }

    [Test]
    public void Load_AControlCharacterOutsideAString_IsNotEchoedRaw()
    {
        var path = Write("{ \"models\": [ \u001b[2J ] }");

        var e = Assert.Throws<InvalidDataException>(() => PriceTable.Load(path));

        Assert.That(e!.Message.Any(char.IsControl), Is.False, e.Message);
    }

    [Test]
    public void Read_SkipsAByteOrderMark()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{ "models": [ { "model": "a", "input": 1, "output": 2 } ] }""")).ToArray();

        Assert.That(PriceFileReader.Read(bytes, "bom.json").Entries, Has.Count.EqualTo(1));
    }
}
