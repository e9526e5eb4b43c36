using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Interception;

/// <summary>Time to first token measures the first update that carries content, on every streaming path.</summary>
public sealed class TimeToFirstTokenTests : ServerAndLoggerFixture
{
    public enum StreamPath
    {
        CompleteChatStreaming,
        CompleteChatStreamingAsync,
        ProtocolStreamed,
        BridgeOverAttachedChatClient,
        AttachedIChatClient,
    }

    [Test]
    public async Task AStreamWhoseOnlyEventIsAnError_HasNoTimeToFirstToken([Values] StreamPath path)
    {
        Server.Mode = ServerMode.ErrorEventInStream;

        await StreamAsync(path);

        var line = Database.ExportChat(Logger).Single();
        Assert.That((bool?)line["stream"], Is.True);
        Assert.That(line.ContainsKey("time_to_first_token_seconds"), Is.False, "no update carried content");
    }

    [Test]
    public async Task AStreamWithContent_IsTimedToItsFirstContent([Values] StreamPath path)
    {
        Server.ReplyContent = "abcdefghi";

        await StreamAsync(path);

        var line = Database.ExportChat(Logger).Single();
        Assert.That((double?)line["time_to_first_token_seconds"], Is.GreaterThan(0).And.LessThanOrEqualTo((double)line["inference_seconds"]!));
        Assert.That((string?)line["completions"]![0]!["content"], Is.EqualTo("abcdefghi"));
    }

    private async Task StreamAsync(StreamPath path)
    {
        var original = new ChatClient("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = Server.Endpoint,
            RetryPolicy = new ClientRetryPolicy(0),
        });
        var attached = Logger.AttachToClient(original);
        switch (path)
        {
            case StreamPath.CompleteChatStreaming:
                foreach (var update in attached.CompleteChatStreaming(new UserChatMessage("Hi")))
                {
                    Assert.That(update, Is.Not.Null);
                }

                break;
            case StreamPath.CompleteChatStreamingAsync:
                await foreach (var update in attached.CompleteChatStreamingAsync(new UserChatMessage("Hi")))
                {
                    Assert.That(update, Is.Not.Null);
                }

                break;
            case StreamPath.ProtocolStreamed:
            {
                var body = BinaryContent.Create(BinaryData.FromString(
                    """{"model": "gpt-4.1", "messages": [{"role": "user", "content": "Hi"}], "stream": true, "stream_options": {"include_usage": true}}"""));
                using var response = attached.CompleteChat(body, new RequestOptions { BufferResponse = false }).GetRawResponse();
                using var reader = new StreamReader(response.ContentStream!);
                Assert.That(await reader.ReadToEndAsync(), Does.Contain("[DONE]"));
                break;
            }

            case StreamPath.BridgeOverAttachedChatClient:
                await attached.AsIChatClient().GetStreamingResponseAsync("Hi").ToChatResponseAsync();
                break;
            case StreamPath.AttachedIChatClient:
                await Logger.AttachToClient(original.AsIChatClient()).GetStreamingResponseAsync("Hi").ToChatResponseAsync();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(path));
        }
    }
}
