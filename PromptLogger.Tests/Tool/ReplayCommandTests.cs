using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary>
/// <c>prompt-logger replay</c> against the tests' OpenAI-compatible server, which answers each model differently: prompts
/// recorded through the OpenAI SDK against one model are sent to another, on both stores.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class ReplayCommandTests(StoreKind kind)
{
    internal const string Original = "bot";
    internal const string ModelA = "model-a";
    internal const string ModelB = "model-b";
    internal const string Into = "bot-replay-model-b";

    private TestStore _store = null!;
    private OpenAICompatibleServer _server = null!;
    private string _keyVariable = null!;

    [SetUp]
    public void SetUp()
    {
        _store = TestStore.Create(kind);
        _server = OpenAICompatibleServer.Start();
        _server.ReplyContentByModel[ModelA] = "The weather is sunny today.";
        _server.ReplyContentByModel[ModelB] = "The weather is rainy today.";
        _keyVariable = "PROMPTLOGGER_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(_keyVariable, "sk-test-" + Guid.NewGuid().ToString("N"));
    }

    [TearDown]
    public void TearDown()
    {
        Environment.SetEnvironmentVariable(_keyVariable, null);
        _server?.Dispose();
        _store?.Dispose();
    }

    private string Key => Environment.GetEnvironmentVariable(_keyVariable)!;

    [Test]
    public void Replay_OfAHundredPrompts_StoresAHundredLinkedRecordsWithTheTargetModel_AndARerunSkipsThemAll()
    {
        var originals = Record(_store.Url, _server, 100);
        var sent = _server.RequestCount;

        var result = Replay();

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var replays = Records(Into);
        Assert.Multiple(() =>
        {
            Assert.That(replays, Has.Count.EqualTo(100));
            Assert.That(replays.Select(r => r.ReplayOf), Is.EquivalentTo(originals), "each original replayed once, linked by replay_of");
            Assert.That(replays.Select(r => r.Model).Distinct(), Is.EqualTo(new[] { ModelB }));
            Assert.That(replays.All(r => r.Error is null && r.Completions!.Contains("rainy", StringComparison.Ordinal)), Is.True);
            Assert.That(_server.RequestCount - sent, Is.EqualTo(100));
            Assert.That(result.Error, Does.Contain("100 replayed, 0 failed, 0 replayed before"));
        });

        var rerun = Replay();

        Assert.Multiple(() =>
        {
            Assert.That(rerun.ExitCode, Is.Zero, rerun.ToString());
            Assert.That(rerun.Error, Does.Contain("All 100 selected prompts are replayed in 'bot-replay-model-b' already"));
            Assert.That(_server.RequestCount - sent, Is.EqualTo(100), "the rerun sent nothing");
            Assert.That(Records(Into), Has.Count.EqualTo(100));
        });
    }

    [Test]
    public void Replay_WhenTheServerAnswers429WithRetryAfter_GetsEveryPromptThrough()
    {
        Record(_store.Url, _server, 6);
        _server.TooManyRequestsNext = 2;
        _server.RetryAfterSeconds = 2;
        var sent = _server.RequestCount;

        var result = Replay("--concurrency", "1");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var times = _server.RequestTimes.Skip(sent).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Records(Into).Where(r => r.Error is null).Select(r => r.ReplayOf).Distinct().Count(), Is.EqualTo(6));
            Assert.That(Records(Into).Where(r => r.Error is not null), Is.Empty, "retried by the SDK, not recorded as failed");
            Assert.That(_server.RequestCount - sent, Is.EqualTo(8), "two 429s, then six answers");
            // The SDK's own backoff starts at 0.8 s: waiting this long is Retry-After honoured.
            Assert.That(times[1] - times[0], Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9)));
        });
    }

    [Test]
    public void Replay_TheApiKey_NeverAppearsInTheDatabaseNorTheOutput_EvenWhenTheServerEchoesIt()
    {
        Record(_store.Url, _server, 3);
        // A key of no known secret shape, which a server quotes in a reply: only the command's own redaction keeps it out.
        Environment.SetEnvironmentVariable(_keyVariable, "plainkey" + Guid.NewGuid().ToString("N"));
        _server.ReplyContentByModel[ModelB] = $"Your key is {Key}, thanks.";
        var ok = Replay("--limit", "2");
        _server.Mode = ServerMode.Unauthorized; // answers 401 quoting the key it received
        var refused = Replay();

        Assert.Multiple(() =>
        {
            Assert.That(ok.ExitCode, Is.Zero, ok.ToString());
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(refused.Error, Does.Contain("1 calls failed"));
            Assert.That(Records(Into).Count(r => r.Error is not null), Is.EqualTo(1), "the failed call is recorded as failed");
            Assert.That(ok.ToString() + refused, Does.Not.Contain(Key));
            Assert.That(StoredText(), Does.Not.Contain(Key));
            Assert.That(StoredText(), Does.Contain("Incorrect API key provided"), "the error itself is stored");
            Assert.That(StoredText(), Does.Contain("Your key is ***, thanks."), "the reply is stored, the key masked");
        });
    }

    [Test]
    public void Replay_AgainstAnEndpointThatRefusesConnections_ExitsOneSoon_AndKeepsWhatWasDone()
    {
        Record(_store.Url, _server, 20);
        var first = Replay("--limit", "5");
        var clock = Stopwatch.StartNew();

        var refused = PromptLoggerCommand.Run("replay", "-d", _store.Url, "-n", Original, "--model", ModelB, "--endpoint", "http://127.0.0.1:1/v1", "--api-key-env", _keyVariable);

        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.Zero, first.ToString());
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(refused.Error, Does.StartWith("prompt-logger: error: cannot reach http://127.0.0.1:1/v1: "));
            Assert.That(refused.Error, Does.Contain("Run the same command again to continue."));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "stopped at the first refusal, not after trying all 15");
            Assert.That(Records(Into).Count(r => r.Error is null), Is.EqualTo(5), "what was replayed before is kept");
            Assert.That(Records(Original), Has.Count.EqualTo(20));
        });
    }

    [Test]
    public void Replay_BadInput_IsAUsageErrorThatNamesTheProblem()
    {
        Record(_store.Url, _server, 1);
        var unset = "PROMPTLOGGER_TEST_UNSET_" + Guid.NewGuid().ToString("N");

        var noModel = PromptLoggerCommand.Run("replay", "-d", _store.Url, "-n", Original, "--api-key-env", _keyVariable);
        var noKey = PromptLoggerCommand.Run("replay", "-d", _store.Url, "-n", Original, "--model", ModelB, "--api-key-env", unset);
        var noConcurrency = Replay("--concurrency", "0");
        var text = Replay("--type", "text");
        var intoItself = Replay("--into", Original);

        Assert.Multiple(() =>
        {
            Assert.That((noModel.ExitCode, noModel.Error), Is.EqualTo((2, "prompt-logger: error: replay needs the model to send the prompts to: --model M. (see prompt-logger replay --help)\n")));
            Assert.That(noKey.ExitCode, Is.EqualTo(2));
            Assert.That(noKey.Error, Does.Contain($"the environment variable {unset} is not set"));
            Assert.That(noConcurrency.ExitCode, Is.EqualTo(2));
            Assert.That(text.ExitCode, Is.EqualTo(2));
            Assert.That(intoItself.ExitCode, Is.EqualTo(2));
            Assert.That(Records(Into), Is.Empty);
            Assert.That(_server.RequestCount, Is.EqualTo(1), "nothing sent but the original");
        });
    }

    private ToolResult Replay(params string[] extra) =>
        PromptLoggerCommand.Run(["replay", "-d", _store.Url, "-n", Original, "--model", ModelB, "--endpoint", _server.BaseUrl, "--api-key-env", _keyVariable, .. extra]);

    /// <summary>Records <paramref name="count"/> prompts to <see cref="ModelA"/> through the OpenAI SDK; returns their ids.</summary>
    internal static List<string> Record(string url, OpenAICompatibleServer server, int count, string @namespace = Original, string model = ModelA)
    {
        using (var logger = new PromptLogger(@namespace, url))
        {
            var client = logger.AttachToClient(new ChatClient(model, new ApiKeyCredential("recording-key"), new OpenAIClientOptions
            {
                Endpoint = server.Endpoint,
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            }));
            for (var i = 0; i < count; i++)
            {
                client.CompleteChat(
                    [new SystemChatMessage("You are a weather bot."), new UserChatMessage(string.Create(CultureInfo.InvariantCulture, $"What is the weather in town {i}?"))],
                    new ChatCompletionOptions { Temperature = 0.5f, MaxOutputTokenCount = 40 });
            }
        }

        var store = PromptLogging.Storage.PromptStore.Create(PromptLogging.Storage.DatabaseUrl.Parse(url));
        using var connection = store.OpenForReading();
        return [.. connection.Query<string>("SELECT id FROM prompts WHERE namespace = @ns", new { ns = @namespace })];
    }

    private List<Stored> Records(string @namespace)
    {
        using var connection = _store.Open();
        return [.. connection.Query<Stored>(
            "SELECT id AS Id, model AS Model, replay_of AS ReplayOf, completions AS Completions, error AS Error FROM prompts WHERE namespace = @ns",
            new { ns = @namespace })];
    }

    // Every text the store holds: every column of every row, and for SQLite the files' own bytes too.
    private string StoredText()
    {
        var text = new StringBuilder();
        using (var connection = _store.Open())
        {
            foreach (var row in connection.Query("SELECT * FROM prompts"))
            {
                foreach (var value in (IDictionary<string, object?>)row)
                {
                    text.Append(value.Value).Append('\n');
                }
            }
        }

        if (kind == StoreKind.Sqlite)
        {
            foreach (var file in Directory.GetFiles(_store.Temp.Path))
            {
                text.Append(Encoding.UTF8.GetString(File.ReadAllBytes(file)));
            }
        }

        return text.ToString();
    }

    private sealed class Stored
    {
        public string Id { get; set; } = string.Empty;

        public string? Model { get; set; }

        public string? ReplayOf { get; set; }

        public string? Completions { get; set; }

        public string? Error { get; set; }
    }
}
