using System.ClientModel;
using Microsoft.Extensions.AI;
using Moq;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Interception;
using PromptLogging.Testing;
using PromptLogging.Writing;

namespace PromptLogging.Tests.Writing;

/// <summary>
/// What a call made through a real SDK counts against <see cref="PromptLoggerOptions.MaxBufferedBytes"/> while it waits
/// for the writer: at least the text it carries.
/// </summary>
public sealed class CallSizeTests
{
    private static readonly string BigPrompt = new('p', 100_000);
    private static readonly string BigReply = new('r', 100_000);

    private OpenAICompatibleServer _server = null!;

    [SetUp]
    public void SetUp()
    {
        _server = OpenAICompatibleServer.Start();
        _server.ReplyContent = BigReply;
    }

    [TearDown]
    public void TearDown() => _server.Dispose();

    [Test]
    public async Task ACallThroughTheOpenAISdk_CountsAtLeastTheTextItCarries()
    {
        var calls = new List<CapturedCall>();
        var sink = new Mock<ICapturedCallSink>();
        sink.Setup(static s => s.Record(It.IsAny<CapturedCall>())).Callback<CapturedCall>(calls.Add);
        var client = ClientProxyFactory.Create(new ChatClient("gpt-4.1", new ApiKeyCredential("test"), new OpenAIClientOptions { Endpoint = _server.Endpoint }), sink.Object);

        await client.CompleteChatAsync([new UserChatMessage(BigPrompt)]);
        await client.AsIChatClient().GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(ChatRole.User, BigPrompt)]);
        var middleware = ClientProxyFactory.Create<IChatClient>(new ChatClient("gpt-4.1", new ApiKeyCredential("test"), new OpenAIClientOptions { Endpoint = _server.Endpoint }).AsIChatClient(), sink.Object);
        var reply = await middleware.GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(ChatRole.User, BigPrompt)]);

        Assert.That(reply.Text, Is.EqualTo(BigReply));
        Assert.That(calls, Has.Count.EqualTo(3));
        Assert.That(calls.Select(CallSize.Estimate), Is.All.GreaterThanOrEqualTo(BigPrompt.Length + BigReply.Length), "the prompt and the reply wait in memory until written");
    }
}
