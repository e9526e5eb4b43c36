using System.Text.Json;
using System.Text.Json.Nodes;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Export;

[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class ChatPromptExportTests(StoreKind kind)
{
    private TestStore _store = null!;
    private static readonly DateTimeOffset StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(1745360143533).AddTicks(2530);

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _store = TestStore.Create(kind);
        _temp = _store.Temp;
    }

    [TearDown]
    public void TearDown()
    {
        // Also after a skipped SetUp, which leaves no store.
        _store?.Dispose();
        _store = null!;
    }

    [Test]
    public void ExportChatPrompts_OfAFullRecord_WritesTheContractFieldsInOrder()
    {
        using var logger = new PromptLogger("default", _store.Url);
        logger.Record(FullCall());

        var count = logger.ExportChatPrompts(_temp.File("out.jsonl"));

        Assert.That(count, Is.EqualTo(1));
        var line = Jsonl.Read(_temp.File("out.jsonl")).Single();
        Assert.That(Jsonl.Names(line), Is.EqualTo(new[]
        {
            "id", "namespace", "model", "messages", "tools", "generation_kwargs", "completions", "inference_on",
            "inference_seconds", "usage", "error", "stream", "time_to_first_token_seconds", "provider", "tags",
            "response_model", "response_id", "system_fingerprint", "stream_end", "conversation_id", "estimated_cost_usd",
        }));
        Assert.That(line.GetProperty("namespace").GetString(), Is.EqualTo("default"));
        Assert.That(line.GetProperty("model").GetString(), Is.EqualTo("gpt-4.1"));
        Assert.That(line.GetProperty("messages").GetRawText(), Is.EqualTo(
            """[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is the weather today?"},""" +
            """{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},""" +
            """{"role":"tool","content":"sunny","tool_call_id":"call_1"}]"""));
        Assert.That(line.GetProperty("tools").GetRawText(), Is.EqualTo(
            """[{"type":"function","function":{"name":"get_weather","description":"Weather by city","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]"""));
        Assert.That(line.GetProperty("generation_kwargs").GetRawText(), Is.EqualTo("""{"max_tokens":50,"temperature":0.2}"""));
        Assert.That(line.GetProperty("completions").GetRawText(), Is.EqualTo(
            """[{"role":"assistant","content":"It is sunny in Paris.","finish_reason":"length"}]"""));
        Assert.That(line.GetProperty("inference_on").GetRawText(), Is.EqualTo("1745360143.533253"));
        Assert.That(line.GetProperty("inference_seconds").GetRawText(), Is.EqualTo("1.272673"));
        Assert.That(line.GetProperty("usage").GetRawText(), Is.EqualTo("""{"input_tokens":21,"output_tokens":50}"""));
        Assert.That(line.GetProperty("error").GetString(), Is.EqualTo("partial"));
        Assert.That(line.GetProperty("stream").ValueKind, Is.EqualTo(JsonValueKind.True));
        Assert.That(line.GetProperty("time_to_first_token_seconds").GetRawText(), Is.EqualTo("0.25"));
        Assert.That(line.GetProperty("provider").GetString(), Is.EqualTo("openai"));
        Assert.That(line.GetProperty("tags").GetRawText(), Is.EqualTo("""["exp-1"]"""));
        Assert.That(line.GetProperty("response_model").GetString(), Is.EqualTo("gpt-4.1-2025-04-14"));
        Assert.That(line.GetProperty("response_id").GetString(), Is.EqualTo("chatcmpl-\"quoted\"\u0001"));
        Assert.That(line.GetProperty("system_fingerprint").GetString(), Is.EqualTo("fp_44709d6fcb"));
        Assert.That(line.GetProperty("stream_end").GetString(), Is.EqualTo("abandoned"));
    }

    [Test]
    public void ExportChatPrompts_LeavesOutNullsEmptyStringsEmptyListsAndEmptyObjects()
    {
        using var logger = new PromptLogger("default", _store.Url);
        logger.Record(new CapturedCall(new CallRequest
            {
                Kind = CallKind.Chat,
                Model = "",
                Messages = [new CapturedMessage("user", "hi"), new CapturedMessage("assistant", null), new CapturedMessage("user", "")],
                GenerationKwargs = [],
            })
        {
            Outcome = new CallOutcome { Completions = [new CapturedCompletion("assistant", "hello", null, [])] },
            StartedAt = StartedAt,
            Duration = TimeSpan.FromSeconds(2),
        });

        logger.ExportChatPrompts(_temp.File("out.jsonl"));

        var line = Jsonl.Read(_temp.File("out.jsonl")).Single();
        Assert.That(Jsonl.Names(line), Is.EqualTo(new[] { "id", "namespace", "messages", "completions", "inference_on", "inference_seconds", "conversation_id" }));
        Assert.That(line.GetProperty("messages").GetRawText(), Is.EqualTo("""[{"role":"user","content":"hi"},{"role":"assistant"},{"role":"user"}]"""));
        Assert.That(line.GetProperty("completions").GetRawText(), Is.EqualTo("""[{"role":"assistant","content":"hello"}]"""));
        Assert.That(line.GetProperty("inference_seconds").GetRawText(), Is.EqualTo("2.0"), "whole seconds are written as floats, as the seed does");
    }

    [Test]
    public void ExportModels_WritesEachModelOncePerNamespaceInTheSeedShape()
    {
        using var logger = new PromptLogger("default", _store.Url);
        logger.Record(FullCall());
        logger.Record(FullCall());
        logger.Record(new CapturedCall(new CallRequest { Kind = CallKind.Chat, Model = "gpt-4.1-mini", Provider = "openai" })
        {
            StartedAt = StartedAt,
        });
        logger.Record(new CapturedCall(new CallRequest { Kind = CallKind.Chat, Model = "gpt-4.1" })
        {
            Namespace = "other",
            StartedAt = StartedAt,
        });

        var count = logger.ExportModels(_temp.File("models.jsonl"));

        Assert.That(count, Is.EqualTo(2));
        var lines = Jsonl.Read(_temp.File("models.jsonl"));
        Assert.That(lines.Select(l => l.GetProperty("name").GetString()), Is.EqualTo(new[] { "gpt-4.1", "gpt-4.1-mini" }));
        Assert.That(Jsonl.Names(lines[0]), Is.EqualTo(new[] { "id", "namespace", "name", "provider", "created" }));
        Assert.That(lines[0].GetProperty("provider").GetString(), Is.EqualTo("openai"));
        Assert.That(lines[0].GetProperty("created").GetRawText(), Is.EqualTo("1745360143.533253"));
        Assert.That(logger.ExportModels(_temp.File("other.jsonl"), "other"), Is.EqualTo(1));
        Assert.That(logger.ExportModels(_temp.File("filtered.jsonl"), models: ["gpt-4.1-mini"]), Is.EqualTo(1));
    }

    [TestCase("x'); DROP TABLE prompts;--")]
    [TestCase("\" OR 1=1 --")]
    [TestCase("%_*?[]\\ ; DELETE FROM models")]
    public void NamespacesAndModelNamesFullOfSqlMetacharacters_AreStoredAndExportedLiterally(string name)
    {
        using var logger = new PromptLogger(name, _store.Url);
        logger.Record(new CapturedCall(new CallRequest { Kind = CallKind.Chat, Model = name, Messages = [new("user", name)] })
        {
            StartedAt = StartedAt,
        });
        logger.Record(new CapturedCall(new CallRequest { Kind = CallKind.Chat, Model = "m" })
        {
            Namespace = "bystander",
            StartedAt = StartedAt,
        });

        Assert.That(logger.ExportChatPrompts(_temp.File("chat.jsonl"), name, [name]), Is.EqualTo(1));
        Assert.That(logger.ExportModels(_temp.File("models.jsonl"), name), Is.EqualTo(1));
        Assert.That(logger.ExportChatPrompts(_temp.File("bystander.jsonl"), "bystander"), Is.EqualTo(1));

        var line = Jsonl.Read(_temp.File("chat.jsonl")).Single();
        Assert.That(line.GetProperty("namespace").GetString(), Is.EqualTo(name));
        Assert.That(line.GetProperty("model").GetString(), Is.EqualTo(name));
        Assert.That(Jsonl.Read(_temp.File("models.jsonl")).Single().GetProperty("name").GetString(), Is.EqualTo(name));
    }

    [Test]
    public void ExportChatPrompts_IntoAMissingFolder_ThrowsDirectoryNotFoundAndWritesNothing()
    {
        using var logger = new PromptLogger("default", _store.Url);

        Assert.Throws<DirectoryNotFoundException>(() => logger.ExportChatPrompts(_temp.File("missing/out.jsonl")));
        Assert.That(Directory.Exists(_temp.File("missing")), Is.False);
    }

    [Test]
    public void ExportChatPrompts_WithNothingStored_WritesAnEmptyFileAndReturnsZero()
    {
        using var logger = new PromptLogger("default", _store.Url);
        File.WriteAllText(_temp.File("out.jsonl"), "stale content");

        Assert.That(logger.ExportChatPrompts(_temp.File("out.jsonl")), Is.EqualTo(0));
        Assert.That(new FileInfo(_temp.File("out.jsonl")).Length, Is.Zero);
        Assert.That(Directory.GetFiles(_temp.Path, "*.tmp"), Is.Empty, "no temporary file is left behind");
    }

    [Test]
    public void Dispose_StoresEverythingRecordedBeforeIt()
    {
        var logger = new PromptLogger("default", _store.Url);
        for (var i = 0; i < 5_000; i++)
        {
            logger.SaveInteraction("p" + i, "r");
        }

        logger.Dispose();

        using var reader = new PromptLogger("default", _store.Url);
        Assert.That(reader.ExportTextPrompts(_temp.File("out.jsonl")), Is.EqualTo(5_000));
        Assert.That(Jsonl.Read(_temp.File("out.jsonl")).Select(l => l.GetProperty("prompt").GetString()),
            Is.EqualTo(Enumerable.Range(0, 5_000).Select(i => "p" + i)), "exported in the order recorded");
    }

    private static CapturedCall FullCall() => new CapturedCall(new CallRequest
        {
            Kind = CallKind.Chat,
            Model = "gpt-4.1",
            Provider = "openai",
            Messages = [
            new CapturedMessage("system", "You are a helpful assistant."),
            new CapturedMessage("user", "What is the weather today?"),
            new CapturedMessage("assistant", null, ToolCalls: [new CapturedToolCall("call_1", "get_weather", """{"city":"Paris"}""")]),
            new CapturedMessage("tool", "sunny", "call_1"),
        ],
            Tools = [new CapturedTool("get_weather", "Weather by city", JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}"""))],
            GenerationKwargs = new JsonObject { ["max_tokens"] = 50, ["temperature"] = 0.2 },
        })
    {
        Outcome = new CallOutcome
        {
            Completions = [new CapturedCompletion("assistant", "It is sunny in Paris.", "length")],
            Usage = new CapturedUsage(21, 50),
            ResponseModel = "gpt-4.1-2025-04-14",
            ResponseId = "chatcmpl-\"quoted\"\u0001",
            SystemFingerprint = "fp_44709d6fcb",
        },
        Error = "partial",
        Stream = true,
        TimeToFirstTokenSeconds = 0.25,
        StartedAt = StartedAt,
        Duration = TimeSpan.FromTicks(12726730),
        StreamEnd = StreamEnd.Abandoned,
        Context = new CallContext { Tags = ["exp-1"] },
    };
}
