using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Interception;

/// <summary>
/// The cached prompt tokens and the reasoning tokens a provider reports are stored with the usage (they price a call:
/// cached tokens cost less), whichever path the call took: the OpenAI SDK plain and streamed, its protocol method,
/// Microsoft.Extensions.AI's bridge, and the Responses API.
/// </summary>
public sealed class UsageDetailsTests : ServerAndLoggerFixture
{
    public enum Path
    {
        CompleteChat,
        CompleteChatStreaming,
        Protocol,
        ExtensionsAIBridge,
        Responses,
    }

    [TestCase(Path.CompleteChat)]
    [TestCase(Path.CompleteChatStreaming)]
    [TestCase(Path.Protocol)]
    [TestCase(Path.ExtensionsAIBridge)]
    [TestCase(Path.Responses)]
    public async Task CachedAndReasoningTokens_AreStoredWithTheUsage(Path path)
    {
        Server.PromptTokens = 1200;
        Server.CachedTokens = 1024;
        Server.CompletionTokens = 90;
        Server.ReasoningTokens = 64;
        var root = Logger.AttachToClient(new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = Server.Endpoint }));
        var chat = root.GetChatClient("gpt-4.1");

        switch (path)
        {
            case Path.CompleteChat:
                await chat.CompleteChatAsync([new UserChatMessage("Hi")]);
                break;
            case Path.CompleteChatStreaming:
                await foreach (var _ in chat.CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
                {
                }

                break;
            case Path.Protocol:
                using (var body = BinaryContent.Create(BinaryData.FromString("""{"model":"gpt-4.1","messages":[{"role":"user","content":"Hi"}]}""")))
                {
                    await chat.CompleteChatAsync(body);
                }

                break;
            case Path.ExtensionsAIBridge:
                await chat.AsIChatClient().GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(ChatRole.User, "Hi")]);
                break;
            case Path.Responses:
#pragma warning disable OPENAI001 // The Responses API is marked experimental in the SDK.
                await root.GetResponsesClient().CreateResponseAsync("gpt-4.1", [ResponseItem.CreateUserMessageItem("Hi")]);
#pragma warning restore OPENAI001
                break;
        }

        var usage = Database.ExportChat(Logger).Single()["usage"]!;
        Assert.That(usage.ToJsonString(), Is.EqualTo("""{"input_tokens":1200,"output_tokens":90,"cached_input_tokens":1024,"reasoning_tokens":64}"""));
    }

    [Test]
    public async Task AProviderThatReportsNoDetails_StoresNone()
    {
        var chat = Logger.AttachToClient(new ChatClient("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = Server.Endpoint }));

        await chat.CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.That(Database.ExportChat(Logger).Single()["usage"]!.ToJsonString(), Is.EqualTo("""{"input_tokens":12,"output_tokens":7}"""));
    }
}
