using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.AI;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Replay;

/// <summary>
/// <see cref="PromptLogger.ReplayAsync"/> through a Microsoft.Extensions.AI client of another provider (built in the
/// tests, not OpenAI's), on both stores: what is sent again, what is recorded, and that a rerun sends nothing twice.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class ReplayAsyncTests(StoreKind kind)
{
    private const string Original = "support";

    private TestStore _store = null!;
    private PromptLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _store = TestStore.Create(kind);
        _logger = new PromptLogger(Original, _store.Url);
    }

    [TearDown]
    public void TearDown()
    {
        _logger?.Dispose();
        _store?.Dispose();
    }

    [Test]
    public async Task ReplayAsync_ThroughAnotherProvidersChatClient_RecordsEachAnswerLinkedToItsOriginal()
    {
        var originals = RecordOriginals("Where is my parcel?", "Can I pay by card?", "Do you ship to Norway?");
        var target = new EchoChatClient();

        var summary = await _logger.ReplayAsync(new ReplayOptions { Model = "echo-2" }, target);

        var replays = Replays("support-replay-echo-2");
        Assert.Multiple(() =>
        {
            Assert.That((summary.Into, summary.ToReplay, summary.Replayed, summary.Failed, summary.AlreadyReplayed), Is.EqualTo(("support-replay-echo-2", 3, 3, 0, 0)));
            Assert.That(replays.Select(r => r.ReplayOf), Is.EquivalentTo(originals.Keys));
            Assert.That(replays.Select(r => r.Model).Distinct(), Is.EqualTo(new[] { "echo-2" }));
            Assert.That(replays.Select(r => r.Provider).Distinct(), Is.EqualTo(new[] { "echo" }), "recorded by the logger's middleware, as a live call through the client");
            foreach (var replay in replays)
            {
                Assert.That(replay.Completions, Does.Contain("echo: " + originals[replay.ReplayOf!]));
            }
        });
    }

    [Test]
    public async Task ReplayAsync_RebuildsMessagesToolsAndParameters_AndNamesTheParametersItLeftOutOnce()
    {
        RecordOriginals("Where is my parcel?", "Can I pay by card?");
        var target = new EchoChatClient();

        var summary = await _logger.ReplayAsync(new ReplayOptions { Model = "echo-2" }, target);

        var (messages, options) = target.Requests[0];
        Assert.Multiple(() =>
        {
            Assert.That(messages.Select(m => m.Role.Value), Is.EqualTo(new[] { "system", "user", "assistant", "tool", "user" }));
            var call = messages[2].Contents.OfType<FunctionCallContent>().Single();
            Assert.That((call.CallId, call.Name, call.Arguments!["id"]?.ToString()), Is.EqualTo(("call_1", "track", "P-1")));
            Assert.That(messages[3].Contents.OfType<FunctionResultContent>().Single().Result, Is.EqualTo("in transit"));
            Assert.That(options!.ModelId, Is.EqualTo("echo-2"));
            Assert.That((options.Temperature, options.MaxOutputTokens, options.Seed), Is.EqualTo(((float?)0.25f, (int?)50, (long?)7)));
            Assert.That(options.StopSequences, Is.EqualTo(new[] { "END" }));
            Assert.That(options.Tools!.Single().Name, Is.EqualTo("track"));
            Assert.That(((AIFunctionDeclaration)options.Tools![0]).JsonSchema.GetProperty("required")[0].GetString(), Is.EqualTo("id"));
            Assert.That(summary.LeftOutParameters, Is.EqualTo(new[] { "logit_bias", "logprobs" }), "each name once, however many prompts had it");
        });
    }

    [Test]
    public async Task ReplayAsync_Rerun_SkipsThePromptsReplayedAlready()
    {
        RecordOriginals("one?", "two?", "three?", "four?");
        var target = new EchoChatClient();
        var first = await _logger.ReplayAsync(new ReplayOptions { Model = "echo-2", Limit = 3 }, target);

        var second = await _logger.ReplayAsync(new ReplayOptions { Model = "echo-2" }, target);
        var third = await _logger.ReplayAsync(new ReplayOptions { Model = "echo-2" }, target);

        Assert.Multiple(() =>
        {
            Assert.That((first.ToReplay, first.Replayed), Is.EqualTo((4, 3)));
            Assert.That((second.ToReplay, second.AlreadyReplayed, second.Replayed), Is.EqualTo((1, 3, 1)));
            Assert.That((third.ToReplay, third.AlreadyReplayed, third.Replayed), Is.EqualTo((0, 4, 0)));
            Assert.That(target.Requests, Has.Count.EqualTo(4), "no prompt sent twice");
            Assert.That(Replays("support-replay-echo-2").Select(r => r.ReplayOf).Distinct().Count(), Is.EqualTo(4));
        });
    }

    [Test]
    public void ReplayAsync_Cancelled_SendsNothingFurther_AndThrows()
    {
        RecordOriginals("one?", "two?");
        var target = new EchoChatClient();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.That(() => _logger.ReplayAsync(new ReplayOptions { Model = "echo-2" }, target, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(target.Requests, Is.Empty);
        Assert.That(Replays("support-replay-echo-2"), Is.Empty);
    }

    [Test]
    public void ReplayAsync_BadOptions_AreRefusedBeforeAnythingIsSent()
    {
        RecordOriginals("one?");
        var target = new EchoChatClient();

        Assert.Multiple(() =>
        {
            Assert.That(() => _logger.ReplayAsync(new ReplayOptions { Into = Original }, target), Throws.ArgumentException.With.Message.Contains("another namespace"));
            Assert.That(() => _logger.ReplayAsync(new ReplayOptions { Concurrency = 0 }, target), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => _logger.ReplayAsync(new ReplayOptions { Limit = 0 }, target), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => _logger.ReplayAsync(new ReplayOptions(), _logger.AttachToClient<IChatClient>(target)), Throws.ArgumentException.With.Message.Contains("records into this logger"));
            Assert.That(target.Requests, Is.Empty);
        });
    }

    // Prompts with a tool round trip, tools and parameters, one of which (logprobs, logit_bias) ChatOptions cannot carry.
    private Dictionary<string, string> RecordOriginals(params string[] questions)
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < questions.Length; i++)
        {
            _logger.Record(new CapturedCall(new CallRequest
            {
                Kind = CallKind.Chat,
                Model = "gpt-4.1",
                Provider = "openai",
                Messages =
                [
                    new CapturedMessage("system", "You are a helpful assistant."),
                    new CapturedMessage("user", "Track P-1"),
                    new CapturedMessage("assistant", null, ToolCalls: [new CapturedToolCall("call_1", "track", """{"id":"P-1"}""")]),
                    new CapturedMessage("tool", "in transit", "call_1"),
                    new CapturedMessage("user", questions[i]),
                ],
                Tools = [new CapturedTool("track", "Tracks a parcel", JsonNode.Parse("""{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}"""))],
                GenerationKwargs = new JsonObject { ["temperature"] = 0.25, ["max_tokens"] = 50, ["seed"] = 7, ["stop"] = "END", ["logprobs"] = true, ["logit_bias"] = new JsonObject { ["50256"] = -100 } },
            })
            {
                Outcome = new CallOutcome { Completions = [new CapturedCompletion("assistant", "Original answer " + i, "stop")], Usage = new CapturedUsage(12, 7) },
                StartedAt = start.AddSeconds(i),
                Duration = TimeSpan.FromMilliseconds(800),
            });
        }

        _logger.Flush();
        using var connection = _store.Open();
        return connection.Query<(string Id, string Messages)>("SELECT id, messages FROM prompts WHERE namespace = @ns", new { ns = Original })
            .ToDictionary(r => r.Id, r => questions.Single(q => r.Messages.Contains(q, StringComparison.Ordinal)));
    }

    private List<ReplayRecord> Replays(string @namespace)
    {
        using var connection = _store.Open();
        return [.. connection.Query<ReplayRecord>(
            "SELECT id AS Id, model AS Model, provider AS Provider, replay_of AS ReplayOf, completions AS Completions, error AS Error FROM prompts WHERE namespace = @ns",
            new { ns = @namespace })];
    }

    private sealed class ReplayRecord
    {
        public string Id { get; set; } = string.Empty;

        public string? Model { get; set; }

        public string? Provider { get; set; }

        public string? ReplayOf { get; set; }

        public string? Completions { get; set; }

        public string? Error { get; set; }
    }
}
