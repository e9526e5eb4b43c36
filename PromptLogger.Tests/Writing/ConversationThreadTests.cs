using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Recording;
using PromptLogging.Storage;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Writing;

/// <summary>
/// Conversations inferred without code: multi-turn chats through the real OpenAI <see cref="ChatClient"/> against the
/// tests' server, on both stores — follow-ups, branches, a restart between turns, two turns in one batch.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class ConversationThreadTests(StoreKind kind)
{
    private const string Hostile = "quote \" back\\slash\nnew line \"}\n{\"id\":\"INJECTED\"} 🌍";

    private TestStore _store = null!;
    private OpenAICompatibleServer _server = null!;

    [SetUp]
    public void SetUp()
    {
        _store = TestStore.Create(kind);
        _server = OpenAICompatibleServer.Start();
    }

    [TearDown]
    public void TearDown()
    {
        _server?.Dispose();
        _store?.Dispose();
        _store = null!;
    }

    [Test]
    public void FollowUps_ContinueTheConversation_AndAnUnrelatedChatStartsAnother()
    {
        using (var logger = NewLogger())
        {
            var client = logger.AttachToClient(NewClient());
            List<ChatMessage> chat = [new SystemChatMessage("You are terse."), new UserChatMessage("first " + Hostile)];
            Turn(client, logger, chat, "reply one " + Hostile);
            chat.Add(new UserChatMessage("second"));
            Turn(client, logger, chat, "reply two");
            chat.Add(new UserChatMessage("third"));
            Turn(client, logger, chat, "reply three");
            Turn(client, logger, [new SystemChatMessage("You are terse."), new UserChatMessage("unrelated")], "other");
        }

        var conversations = Conversations();
        Assert.That(conversations, Has.Count.EqualTo(4));
        Assert.That(conversations.Take(3).Distinct().Count(), Is.EqualTo(1), "the three turns are one conversation");
        Assert.That(conversations[3], Is.Not.EqualTo(conversations[0]), "an unrelated chat starts a new one");
        Assert.That(conversations, Has.All.Not.Empty);
    }

    [Test]
    public void TwoFollowUpsToTheSameReply_BothContinueItsConversation()
    {
        using (var logger = NewLogger())
        {
            var client = logger.AttachToClient(NewClient());
            List<ChatMessage> start = [new UserChatMessage("Pick a colour.")];
            Turn(client, logger, start, "Blue.");
            List<ChatMessage> branchA = [.. start, new UserChatMessage("Why blue?")];
            List<ChatMessage> branchB = [.. start, new UserChatMessage("Pick another.")];
            Turn(client, logger, branchA, "Calm.");
            Turn(client, logger, branchB, "Green.");
            branchB.Add(new UserChatMessage("And a third?"));
            Turn(client, logger, branchB, "Red.");
        }

        Assert.That(Conversations().Distinct().Count(), Is.EqualTo(1), "both branches, and a turn after one of them, continue the first call's conversation");
    }

    [Test]
    public void RestartBetweenTurns_ContinuesTheConversation()
    {
        List<ChatMessage> chat = [new UserChatMessage("Before the restart.")];
        using (var logger = NewLogger())
        {
            Turn(logger.AttachToClient(NewClient()), logger, chat, "Noted.");
        }

        using (var logger = NewLogger())
        {
            chat.Add(new UserChatMessage("After the restart."));
            Turn(logger.AttachToClient(NewClient()), logger, chat, "Still here.");
        }

        var conversations = Conversations();
        Assert.That(conversations, Has.Count.EqualTo(2));
        Assert.That(conversations[1], Is.EqualTo(conversations[0]));
    }

    [Test]
    public void ToolCallTurn_IsContinuedByTheToolResult()
    {
        using (var logger = NewLogger())
        {
            var client = logger.AttachToClient(NewClient());
            List<ChatMessage> chat = [new UserChatMessage("Weather in Paris?")];
            _server.ToolCalls = [new ToolCallReply("call_1", "get_weather", """{ "city" : "Paris" }""")];
            _server.FinishReason = "tool_calls";
            Turn(client, logger, chat, null);
            chat.Add(new ToolChatMessage("call_1", "sunny"));
            _server.ToolCalls = [];
            _server.FinishReason = "stop";
            Turn(client, logger, chat, "It is sunny in Paris.");
        }

        var conversations = Conversations();
        Assert.That(conversations, Has.Count.EqualTo(2));
        Assert.That(conversations[1], Is.EqualTo(conversations[0]), "the assistant's tool calls, sent back, match its reply");
    }

    [Test]
    public void TwoTurnsInOneBatch_AreOneConversation()
    {
        var (first, second) = TwoTurns(null);

        StoredRecords.Store(_store.Url, first, second);

        var conversations = Conversations();
        Assert.That(conversations, Has.Count.EqualTo(2));
        Assert.That(conversations[1], Is.EqualTo(conversations[0]));
    }

    [Test]
    public void GivenConversationId_IsKept_AndALaterCallContinuesIt()
    {
        var (first, second) = TwoTurns("given-42");

        StoredRecords.Store(_store.Url, first);
        StoredRecords.Store(_store.Url, second);

        Assert.That(Conversations(), Is.EqualTo(new[] { "given-42", "given-42" }));
    }

    [Test]
    public void WithoutStoredContent_CallsAreNotThreaded()
    {
        using (var logger = NewLogger(options => options.MetadataOnly = true))
        {
            var client = logger.AttachToClient(NewClient());
            List<ChatMessage> chat = [new UserChatMessage("one")];
            Turn(client, logger, chat, "reply");
            chat.Add(new UserChatMessage("two"));
            Turn(client, logger, chat, "reply");
            Turn(client, logger, [new UserChatMessage("unrelated")], "reply");
        }

        var conversations = Conversations();
        Assert.That(conversations.Distinct().Count(), Is.EqualTo(3), "with the text gone every chat looks alike: none is taken for another's continuation");
    }

    private static (PromptRecord First, PromptRecord Second) TwoTurns(string? conversationId)
    {
        using var factory = new PromptRecordFactory("ns", ContentPolicy.Default);
        var question = new CapturedMessage("user", "Q1 " + Hostile);
        var first = factory.Create(Call([question], "A1 " + Hostile)) with { ConversationId = conversationId };
        var second = factory.Create(Call([question, new CapturedMessage("assistant", "A1 " + Hostile), new CapturedMessage("user", "Q2")], "A2"));
        return (first, second);
    }

    private static CapturedCall Call(IReadOnlyList<CapturedMessage> messages, string answer) => new CapturedCall(new CallRequest { Kind = CallKind.Chat, Model = "gpt-4.1", Messages = messages })
    {
        Outcome = new CallOutcome { Completions = [new CapturedCompletion("assistant", answer, "stop")] },
        StartedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>One turn: the call, its reply appended to the chat as the SDK's assistant message, and a flush.</summary>
    private void Turn(ChatClient client, PromptLogger logger, List<ChatMessage> chat, string? reply)
    {
        _server.ReplyContent = reply;
        ChatCompletion completion = client.CompleteChat(chat);
        chat.Add(new AssistantChatMessage(completion));
        logger.Flush();
    }

    private List<string> Conversations()
    {
        var path = _store.Temp.File(Guid.NewGuid().ToString("N") + ".jsonl");
        using (var logger = NewLogger())
        {
            logger.ExportChatPrompts(path);
        }

        return [.. Jsonl.Read(path).Select(line => line.TryGetProperty("conversation_id", out var id) ? id.GetString()! : string.Empty)];
    }

    private PromptLogger NewLogger(Action<PromptLoggerOptions>? configure = null)
    {
        var options = new PromptLoggerOptions { Namespace = "ns", Database = _store.Url };
        configure?.Invoke(options);
        return new PromptLogger(options);
    }

    private ChatClient NewClient() => new("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions
    {
        Endpoint = _server.Endpoint,
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    });
}
