using System.Globalization;
using System.Text.Json.Nodes;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary>
/// <c>prompt-logger compare</c> of prompts recorded against one model and replayed against another (the tests' server
/// answers each model differently), and of two namespaces recorded independently, on both stores.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class CompareCommandTests(StoreKind kind)
{
    private TestStore _store = null!;
    private OpenAICompatibleServer _server = null!;
    private string _keyVariable = null!;

    [SetUp]
    public void SetUp()
    {
        _store = TestStore.Create(kind);
        _server = OpenAICompatibleServer.Start();
        _server.ReplyContentByModel[ReplayCommandTests.ModelA] = "The weather is sunny today.";
        _server.ReplyContentByModel[ReplayCommandTests.ModelB] = "The weather is rainy today.";
        _keyVariable = "PROMPTLOGGER_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(_keyVariable, "sk-test-compare");
    }

    [TearDown]
    public void TearDown()
    {
        Environment.SetEnvironmentVariable(_keyVariable, null);
        _server?.Dispose();
        _store?.Dispose();
    }

    [Test]
    public void Compare_OfAReplay_TotalsAreTheSumsOfThePairs_AndTheDiffMarksExactlyTheChangedWords()
    {
        ReplayCommandTests.Record(_store.Url, _server, 10);
        var replay = PromptLoggerCommand.Run("replay", "-d", _store.Url, "-n", ReplayCommandTests.Original, "--model", ReplayCommandTests.ModelB, "--endpoint", _server.BaseUrl, "--api-key-env", _keyVariable);
        Assert.That(replay.ExitCode, Is.Zero, replay.ToString());

        var result = PromptLoggerCommand.Run("compare", ReplayCommandTests.Original, ReplayCommandTests.Into, "-d", _store.Url, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var comparison = JsonNode.Parse(result.DataText)!.AsObject();
        var pairs = comparison["pairs"]!.AsArray().Select(p => p!.AsObject()).ToList();
        var totals = comparison["totals"]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)comparison["paired_by"], Is.EqualTo("replay_of"));
            Assert.That(pairs, Has.Count.EqualTo(10));
            Assert.That(pairs.All(p => (string?)p["a"]!["model"] == ReplayCommandTests.ModelA && (string?)p["b"]!["model"] == ReplayCommandTests.ModelB), Is.True);
            foreach (var side in new[] { "a", "b" })
            {
                Assert.That((double)totals[side]!["latency_seconds"]!, Is.EqualTo(pairs.Sum(p => (double)p[side]!["latency_seconds"]!)).Within(1e-9));
                Assert.That((long)totals[side]!["input_tokens"]!, Is.EqualTo(pairs.Sum(p => (long)p[side]!["input_tokens"]!)));
                Assert.That((long)totals[side]!["output_tokens"]!, Is.EqualTo(pairs.Sum(p => (long)p[side]!["output_tokens"]!)));
                Assert.That((int)totals[side]!["finish_reasons"]!["stop"]!, Is.EqualTo(10));
            }

            Assert.That(((int)totals["pairs"]!, (int)totals["identical"]!, (int)totals["different"]!), Is.EqualTo((10, 0, 10)));
            Assert.That(pairs[0]["diff"]!.ToJsonString(), Is.EqualTo(
                """[{"op":"equal","text":"The weather is "},{"op":"delete","text":"sunny"},{"op":"insert","text":"rainy"},{"op":"equal","text":" today."}]"""));
        });

        var plain = PromptLoggerCommand.Run("compare", ReplayCommandTests.Original, ReplayCommandTests.Into, "-d", _store.Url);

        Assert.Multiple(() =>
        {
            Assert.That(plain.ExitCode, Is.Zero, plain.ToString());
            var lines = plain.Out.Split('\n');
            Assert.That(lines[0], Does.StartWith("a_id\tb_id\ta_model\tb_model"));
            Assert.That(lines.Skip(1).Take(10).All(l => l.EndsWith("\tno\tThe weather is [-sunny-]{+rainy+} today.", StringComparison.Ordinal)), Is.True, plain.Out);
            Assert.That(plain.Out, Does.Contain("\npairs\t10\t10\n"));
            Assert.That(plain.Out, Does.Contain("\nfinish_reasons\tstop=10\tstop=10\n"));
        });
    }

    [Test]
    public void Compare_OfTwoIndependentRuns_PairsByIdenticalMessages_AndEscapesHostileReplies()
    {
        ReplayCommandTests.Record(_store.Url, _server, 3, "run-a", ReplayCommandTests.ModelA);
        _server.ReplyContentByModel[ReplayCommandTests.ModelB] = "The weather is \u001b]0;pwned\u0007 rainy \u202Etoday.";
        ReplayCommandTests.Record(_store.Url, _server, 3, "run-b", ReplayCommandTests.ModelB);

        var json = PromptLoggerCommand.Run("compare", "run-a", "run-b", "-d", _store.Url, "--json");
        var plain = PromptLoggerCommand.Run("compare", "run-a", "run-b", "-d", _store.Url);

        Assert.Multiple(() =>
        {
            Assert.That(json.ExitCode, Is.Zero, json.ToString());
            var comparison = JsonNode.Parse(json.DataText)!;
            Assert.That((string?)comparison["paired_by"], Is.EqualTo("messages"));
            Assert.That(comparison["pairs"]!.AsArray(), Has.Count.EqualTo(3));
            Assert.That(plain.ExitCode, Is.Zero, plain.ToString());
            // Ordinal: a culture-aware search ignores control and format characters, and would find them anywhere.
            Assert.That(plain.Out.IndexOfAny(['\u001b', '\u202E', '\u0007']), Is.EqualTo(-1), "no raw control or bidi character reaches the terminal");
            Assert.That(plain.Out, Does.Contain("\\x1B]0;pwned\\x07"));
        });
    }

    [Test]
    public void Compare_OfNamespacesWithNoPairs_ExitsOneSayingWhy()
    {
        ReplayCommandTests.Record(_store.Url, _server, 2, "run-a");
        using (var logger = new PromptLogger("other", _store.Url))
        {
            logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "Something else entirely?", "Yes."));
        }

        var noPairs = PromptLoggerCommand.Run("compare", "run-a", "other", "-d", _store.Url);
        var empty = PromptLoggerCommand.Run("compare", "run-a", "nobody", "-d", _store.Url);
        var same = PromptLoggerCommand.Run("compare", "run-a", "run-a", "-d", _store.Url);
        var one = PromptLoggerCommand.Run("compare", "run-a", "-d", _store.Url);

        Assert.Multiple(() =>
        {
            Assert.That(noPairs.ExitCode, Is.EqualTo(1), noPairs.ToString());
            Assert.That(noPairs.Error, Is.EqualTo(string.Create(CultureInfo.InvariantCulture,
                $"prompt-logger: error: nothing to compare: none of the 1 records of 'other' is a replay of (or replayed by) the 2 selected records of 'run-a', and none has the same messages as one of them.\n")));
            Assert.That(empty.ExitCode, Is.EqualTo(1));
            Assert.That(empty.Error, Does.Contain("namespace 'nobody' holds no chat records"));
            Assert.That(same.ExitCode, Is.EqualTo(2));
            Assert.That(one.ExitCode, Is.EqualTo(2));
            Assert.That(one.Error, Does.Contain("compare needs two namespaces"));
        });
    }
}
