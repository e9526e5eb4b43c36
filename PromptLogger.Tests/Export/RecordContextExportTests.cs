using System.Text;
using System.Text.Json;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Export;

/// <summary>
/// The record context fields (conversation, user, metadata, replay_of, cached and reasoning tokens) through both
/// stores into the seed-format export, after the seed's fields; and the export filters on them.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class RecordContextExportTests(StoreKind kind)
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
    public void ChatLine_HasTheContextFieldsAfterTheSeedFields()
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("ns", "q") with
        {
            ConversationId = "c-42",
            UserId = "u-7",
            Tags = StoredRecords.JsonBytes(new[] { "checkout" }),
            Metadata = StoredRecords.JsonBytes(new Dictionary<string, string> { ["experiment"] = "v2" }),
            ReplayOf = "0190-original",
            CachedInputTokens = 5,
            ReasoningTokens = 3,
        });

        var line = ExportChat().Single();

        Assert.That(Jsonl.Names(line), Is.EqualTo(new[]
        {
            "id", "namespace", "model", "messages", "generation_kwargs", "completions", "inference_on", "inference_seconds",
            "usage", "provider", "tags", "conversation_id", "user_id", "metadata", "replay_of", "estimated_cost_usd",
        }));
        Assert.That(line.GetProperty("usage").GetRawText(),
            Is.EqualTo("""{"input_tokens":12,"output_tokens":7,"cached_input_tokens":5,"reasoning_tokens":3}"""));
        Assert.That(line.GetProperty("conversation_id").GetString(), Is.EqualTo("c-42"));
        Assert.That(line.GetProperty("user_id").GetString(), Is.EqualTo("u-7"));
        Assert.That(line.GetProperty("metadata").GetRawText(), Is.EqualTo("""{"experiment":"v2"}"""));
        Assert.That(line.GetProperty("replay_of").GetString(), Is.EqualTo("0190-original"));
    }

    [Test]
    public void Usage_HasOnlyTheCountsThatArePresent()
    {
        StoredRecords.Store(_store.Url,
            StoredRecords.Chat("ns", "without") with { ConversationId = "c" },
            StoredRecords.Chat("ns", "cached only") with { ConversationId = "c", CachedInputTokens = 4 });

        var lines = ExportChat();

        Assert.That(lines[0].GetProperty("usage").GetRawText(), Is.EqualTo("""{"input_tokens":12,"output_tokens":7}"""));
        Assert.That(lines[1].GetProperty("usage").GetRawText(), Is.EqualTo("""{"input_tokens":12,"output_tokens":7,"cached_input_tokens":4}"""));
    }

    [Test]
    public void TextLine_HasTheContextFieldsAfterTheSeedFields()
    {
        var text = SampleSpool.TextRecords("ns", 1).Single() with
        {
            ConversationId = "c-1",
            UserId = "u-1",
            Metadata = StoredRecords.JsonBytes(new Dictionary<string, string> { ["k"] = "v" }),
        };
        StoredRecords.Store(_store.Url, text);

        var path = _store.Temp.File("text.jsonl");
        using (var logger = new PromptLogger("ns", _store.Url))
        {
            Assert.That(logger.ExportTextPrompts(path), Is.EqualTo(1));
        }

        Assert.That(Jsonl.Names(Jsonl.Read(path).Single()), Is.EqualTo(new[]
        {
            "id", "namespace", "prompt", "response", "inference_on", "model", "conversation_id", "user_id", "metadata",
        }));
    }

    [Test]
    public void LibraryExport_SelectsByConversationUserAndEveryTag()
    {
        StoreSelectionSample();
        using var logger = new PromptLogger("ns", _store.Url);

        Assert.That(Questions(logger, conversationId: "c1"), Is.EqualTo(new[] { "A", "B" }));
        Assert.That(Questions(logger, userId: "u1"), Is.EqualTo(new[] { "A", "C" }));
        Assert.That(Questions(logger, tags: ["a"]), Is.EqualTo(new[] { "A", "B" }));
        Assert.That(Questions(logger, tags: ["a", "b"]), Is.EqualTo(new[] { "A" }), "every tag must match");
        Assert.That(Questions(logger, conversationId: "c1", userId: "u2"), Is.EqualTo(new[] { "B" }));
        Assert.That(Questions(logger, tags: ["nope"]), Is.Empty);
        Assert.That(Questions(logger), Is.EqualTo(new[] { "A", "B", "C" }), "no filter: everything");
    }

    [Test]
    public void Command_SelectsByConversationUserAndEveryTag()
    {
        StoreSelectionSample();

        var byTags = PromptLoggerCommand.Run("export", "prompts", "--tag", "a", "--tag", "b", "-", "-n", "ns", "-d", _store.Url);
        var byConversation = PromptLoggerCommand.Run("export", "prompts", "-", "--conversation", "c1", "-n", "ns", "-d", _store.Url);
        var byUser = PromptLoggerCommand.Run("export", "prompts", "-", "--user=u1", "--tag", "a", "-n", "ns", "-d", _store.Url);

        Assert.That(byTags.ExitCode, Is.Zero, byTags.ToString());
        Assert.That(Questions(byTags), Is.EqualTo(new[] { "A" }));
        Assert.That(byTags.Error, Does.Contain("Exported 1 prompt to standard output"));
        Assert.That(Questions(byConversation), Is.EqualTo(new[] { "A", "B" }));
        Assert.That(Questions(byUser), Is.EqualTo(new[] { "A" }));
    }

    [Test]
    public void HostileContextValues_AreStoredExportedAndSelectedExactly()
    {
        string[] tags = ["line\nbreak", "\"}\n{\"id\":\"INJECTED\"", "<script>alert(1)</script>", "emoji 🌍 é", "nul\0inside", .. Enumerable.Range(0, 10_000).Select(i => "t" + i)];
        var big = new string('x', 1_000_000) + "\u2028\"\n";
        var conversation = "c\n\"'; DROP TABLE prompts; --";
        StoredRecords.Store(_store.Url, StoredRecords.Chat("ns", "hostile") with
        {
            ConversationId = conversation,
            UserId = "u\u0007\u001b[31m",
            Tags = StoredRecords.JsonBytes(tags),
            Metadata = StoredRecords.JsonBytes(new Dictionary<string, string> { ["big"] = big, ["k\n\"}"] = "v" }),
        });

        using var logger = new PromptLogger("ns", _store.Url);
        var path = _store.Temp.File("hostile.jsonl");
        Assert.That(logger.ExportChatPrompts(path, conversationId: conversation, tags: ["\"}\n{\"id\":\"INJECTED\"", "t9999", "line\nbreak"]), Is.EqualTo(1));

        var line = Jsonl.Read(path).Single();
        var exportedTags = line.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToArray();
        Assert.That(exportedTags, Has.Length.EqualTo(tags.Length));
        Assert.That(exportedTags.Take(4), Is.EqualTo(tags.Take(4)));
        Assert.That(line.GetProperty("metadata").GetProperty("big").GetString(), Is.EqualTo(big));
        Assert.That(line.GetProperty("metadata").GetProperty("k\n\"}").GetString(), Is.EqualTo("v"));
        Assert.That(line.GetProperty("conversation_id").GetString(), Is.EqualTo(conversation));
        Assert.That(line.GetProperty("user_id").GetString(), Is.EqualTo("u\u0007\u001b[31m"));
    }

    [Test]
    public void Command_RefusesAnEmptyOrMisplacedSelection()
    {
        (string[] Args, string Reason)[] cases =
        [
            (["export", "prompts", "-", "--tag", ""], "--tag is empty"),
            (["export", "prompts", "-", "--conversation", ""], "--conversation is empty"),
            (["export", "prompts", "-", "--user="], "--user is empty"),
            (["export", "models", "-", "--user", "u1"], "--user applies to 'export prompts' only"),
            (["export", "models", "-", "--tag", "a"], "--tag applies to 'export prompts' only"),
        ];
        foreach (var (args, reason) in cases)
        {
            var result = PromptLoggerCommand.Run([.. args, "-d", _store.Url]);
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.ErrorLines[0], Does.Contain(reason));
            Assert.That(result.Data, Is.Empty);
        }
    }

    private void StoreSelectionSample() => StoredRecords.Store(_store.Url,
        StoredRecords.Chat("ns", "A") with { ConversationId = "c1", UserId = "u1", Tags = StoredRecords.JsonBytes(new[] { "a", "b" }) },
        StoredRecords.Chat("ns", "B") with { ConversationId = "c1", UserId = "u2", Tags = StoredRecords.JsonBytes(new[] { "a" }) },
        StoredRecords.Chat("ns", "C") with { ConversationId = "c2", UserId = "u1" },
        StoredRecords.Chat("other", "D") with { ConversationId = "c1", UserId = "u1", Tags = StoredRecords.JsonBytes(new[] { "a", "b" }) });

    private List<JsonElement> ExportChat()
    {
        var path = _store.Temp.File("chat.jsonl");
        using var logger = new PromptLogger("ns", _store.Url);
        logger.ExportChatPrompts(path);
        return Jsonl.Read(path);
    }

    private string[] Questions(PromptLogger logger, string? conversationId = null, string? userId = null, string[]? tags = null)
    {
        var path = _store.Temp.File("selected.jsonl");
        logger.ExportChatPrompts(path, conversationId: conversationId, userId: userId, tags: tags);
        return [.. Jsonl.Read(path).Select(Question)];
    }

    private static string[] Questions(ToolResult result) => [.. Jsonl.Parse(result.Data).Select(Question)];

    private static string Question(JsonElement line) => line.GetProperty("messages")[1].GetProperty("content").GetString()!;
}
