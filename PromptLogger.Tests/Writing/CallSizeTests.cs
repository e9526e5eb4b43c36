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
    [Explicit("Review finding, left to the lead: a request the caller's thread kept as a snapshot (every OpenAI SDK, protocol and Microsoft.Extensions.AI call) and a reply kept raw count as about 1 KB whatever their size, so MaxBufferedBytes does not bound the memory held during a store outage. A fix measures the snapshot (message text lengths, body bytes) and the kept reply body where they are taken.")]
    public async Task ACallThroughTheOpenAISdk_CountsAtLeastTheTextItCarries()
    {
        var calls = new List<CapturedCall>();
        var sink = new Mock<ICapturedCallSink>();
        sink.Setup(static s => s.Record(It.IsAny<CapturedCall>())).Callback<CapturedCall>(calls.Add);
        var client = ClientProxyFactory.Create(new ChatClient("gpt-4.1", new ApiKeyCredential("test"), new OpenAIClientOptions { Endpoint = _server.Endpoint }), sink.Object);

        await client.CompleteChatAsync([new UserChatMessage(BigPrompt)]);
        await client.AsIChatClient().GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(ChatRole.User, BigPrompt)]);

        Assert.That(calls, Has.Count.EqualTo(2));
        Assert.That(calls.Select(CallSize.Estimate), Is.All.GreaterThanOrEqualTo(BigPrompt.Length + BigReply.Length), "the prompt and the reply wait in memory until written");
    }
}
