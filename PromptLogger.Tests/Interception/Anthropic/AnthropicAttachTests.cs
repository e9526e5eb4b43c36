using Anthropic;
using Anthropic.Models.Messages;
using Anthropic.Services;
using Microsoft.Extensions.AI;
using PromptLogging.Interception;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using Beta = Anthropic.Models.Beta.Messages;

namespace PromptLogging.Tests.Interception.Anthropic;

/// <summary>
/// Where an Anthropic client can be attached: the root <see cref="IAnthropicClient"/> (its <c>Messages</c> and
/// <c>WithOptions</c> hand out attached ones), the <see cref="IMessageService"/> itself, and the SDK's
/// <see cref="IChatClient"/> bridge — each call recorded once; and the class <see cref="AnthropicClient"/>, which no
/// proxy can stand in for, refused with what to do instead.
/// </summary>
public sealed class AnthropicAttachTests
{
    private const string Model = "claude-sonnet-4-5";

    private AnthropicCompatibleServer _server = null!;
    private TestDatabase _database = null!;
    private PromptLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _server = AnthropicCompatibleServer.Start();
        _database = new TestDatabase();
        _logger = _database.CreateLogger("my-namespace");
    }

    [TearDown]
    public void TearDown()
    {
        _logger.Dispose();
        _database.Dispose();
        _server.Dispose();
    }

    [Test]
    public async Task TheMessagesService_AttachedDirectly_IsRecorded()
    {
        var original = NewClient();

        IMessageService messages = _logger.AttachToClient(original.Messages);
        await messages.Create(Hi());

        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["provider"], Is.EqualTo("anthropic"));
        Assert.That((string?)line["model"], Is.EqualTo(Model));
    }

    [Test]
    public async Task WithOptions_OfAnAttachedClientOrService_HandsOutAttachedOnes()
    {
        IAnthropicClient client = _logger.AttachToClient<IAnthropicClient>(NewClient());

        await client.WithOptions(static options => options with { MaxRetries = 0 }).Messages.Create(Hi());
        await client.Messages.WithOptions(static options => options with { MaxRetries = 0 }).Create(Hi());

        Assert.That(_database.ExportChat(_logger), Has.Count.EqualTo(2));
        Assert.That(_server.RequestCount, Is.EqualTo(2));
    }

    [Test]
    public async Task TheBetaMessagesService_OfAnAttachedClient_IsRecordedToo()
    {
        _server.ToolUses = [new ToolCallReply("toolu_7", "lookup", """{"q":"x"}""")];
        _server.StopReason = "tool_use";
        IAnthropicClient client = _logger.AttachToClient<IAnthropicClient>(NewClient());
        var parameters = new Beta.MessageCreateParams
        {
            Model = Model,
            MaxTokens = 16,
            System = "Be brief.",
            Messages = [new Beta.BetaUserMessageParam { Content = "Hi" }],
        };

        var reply = await client.Beta.Messages.Create(parameters);
        var events = 0;
        await foreach (var update in client.Beta.WithOptions(static o => o).Messages.CreateStreaming(parameters))
        {
            events++;
        }

        Assert.That(reply.Content.Select(static c => c.Value).OfType<Beta.BetaTextBlock>().Single().Text, Is.EqualTo("It's sunny!"));
        Assert.That(events, Is.GreaterThan(0));
        var lines = _database.ExportChat(_logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        foreach (var line in lines)
        {
            JsonAssert.AreEqual("""[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]""", line["messages"]);
            JsonAssert.AreEqual(
                """[{"role": "assistant", "content": "It's sunny!", "finish_reason": "tool_use", "tool_calls": [{"id": "toolu_7", "type": "function", "function": {"name": "lookup", "arguments": "{\"q\":\"x\"}"}}]}]""",
                line["completions"]);
            Assert.That((string?)line["provider"], Is.EqualTo("anthropic"));
        }

        Assert.That((bool?)lines[1]["stream"], Is.True);
    }

    [Test]
    public async Task AWrapperOfYourOwnTakingMessageCreateParams_IsRecordedUnlessOptedOut()
    {
        IClaudeWrapper wrapper = _logger.AttachToClient<IClaudeWrapper>(new ClaudeWrapper(NewClient()));

        await wrapper.Send(Hi(), CancellationToken.None);
        await wrapper.SendUnrecorded(Hi(), CancellationToken.None);

        Assert.That(_server.RequestCount, Is.EqualTo(2));
        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["provider"], Is.EqualTo("anthropic"));
    }

    [Test]
    public async Task AttachingTwice_RecordsOnce()
    {
        var client = _logger.AttachToClient<IAnthropicClient>(NewClient());

        var again = _logger.AttachToClient(client);
        var messagesAgain = _logger.AttachToClient(client.Messages);
        await again.Messages.Create(Hi());
        await messagesAgain.Create(Hi());

        Assert.That(again, Is.SameAs(client));
        Assert.That(_database.ExportChat(_logger), Has.Count.EqualTo(2), "two calls, one record each");
    }

    [Test]
    public void TheAnthropicClientClass_IsRefusedWithTheInterfaceToAttachInstead()
    {
        var exception = Assert.Throws<ArgumentException>(() => _logger.AttachToClient(NewClient()))!;

        Assert.That(exception.Message, Does.Contain("AttachToClient<IAnthropicClient>(client)"));
    }

    [Test]
    public async Task TheChatClientBridge_OverAnAttachedClient_RecordsEachCallOnceThroughTheMessagesService()
    {
        var client = _logger.AttachToClient<IAnthropicClient>(NewClient());
        var chat = client.AsIChatClient(Model);

        var response = await chat.GetResponseAsync([new AIChatMessage(ChatRole.System, "Be brief."), new AIChatMessage(ChatRole.User, "Hi")],
            new ChatOptions { MaxOutputTokens = 30 });
        var streamed = new List<string>();
        await foreach (var update in chat.GetStreamingResponseAsync("Hi again"))
        {
            streamed.Add(update.Text);
        }

        Assert.That(response.Text, Is.EqualTo("It's sunny!"));
        Assert.That(string.Concat(streamed), Is.EqualTo("It's sunny!"));
        var lines = _database.ExportChat(_logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines.Select(static l => (string?)l["provider"]), Is.All.EqualTo("anthropic"));
        JsonAssert.AreEqual("""[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]""", lines[0]["messages"]);
        Assert.That((long?)lines[0]["generation_kwargs"]!["max_tokens"], Is.EqualTo(30), "the wire body the bridge built");
        Assert.That((bool?)lines[1]["stream"], Is.True);
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's sunny!", "finish_reason": "end_turn"}]""", lines[1]["completions"]);
    }

    [Test]
    public async Task TheChatClientBridge_Attached_IsRecordedOnceAsAnthropic()
    {
        IChatClient chat = _logger.AttachToClient(NewClient().AsIChatClient(Model));

        var response = await chat.GetResponseAsync("Hi");

        Assert.That(response.Text, Is.EqualTo("It's sunny!"));
        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["provider"], Is.EqualTo("anthropic"), "the bridge's ChatClientMetadata names anthropic");
        Assert.That((string?)line["model"], Is.EqualTo(Model));
    }

    [Test]
    public async Task TheChatClientBridge_OverAnAttachedClient_AttachedAgain_IsRecordedOnce()
    {
        var client = _logger.AttachToClient<IAnthropicClient>(NewClient());
        var bridge = client.AsIChatClient(Model);

        var chat = _logger.AttachToClient(bridge);
        await chat.GetResponseAsync("Hi");

        Assert.That(chat, Is.SameAs(bridge));
        Assert.That(_database.ExportChat(_logger), Has.Count.EqualTo(1));
    }

    private static MessageCreateParams Hi() => new() { Model = Model, MaxTokens = 16, Messages = [new UserMessageParam { Content = "Hi" }] };

    private AnthropicClient NewClient() => new() { BaseUrl = _server.BaseUrl, ApiKey = "test-key", MaxRetries = 0 };

    /// <summary>An application's own interface over the SDK, with one method opted out.</summary>
    public interface IClaudeWrapper
    {
        Task<Message> Send(MessageCreateParams parameters, CancellationToken cancellationToken);

        [PromptLog(Ignore = true)]
        Task<Message> SendUnrecorded(MessageCreateParams parameters, CancellationToken cancellationToken);
    }

    private sealed class ClaudeWrapper(IAnthropicClient client) : IClaudeWrapper
    {
        public Task<Message> Send(MessageCreateParams parameters, CancellationToken cancellationToken) => client.Messages.Create(parameters, cancellationToken);

        public Task<Message> SendUnrecorded(MessageCreateParams parameters, CancellationToken cancellationToken) => client.Messages.Create(parameters, cancellationToken);
    }
}
