using System.ClientModel;
using System.ClientModel.Primitives;
using System.Reflection;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace PromptLogging.Tests.Interception;

/// <summary>
/// The attached OpenAI <see cref="ChatClient"/> is a faithful twin of the original: the same values on every member
/// that is not a chat call, and Microsoft.Extensions.AI's <c>AsIChatClient()</c> bridge over it works.
/// </summary>
public sealed class OpenAITwinTests : ServerAndLoggerFixture
{
    public enum CallPath
    {
        CompleteChat,
        CompleteChatAsync,
        CompleteChatStreaming,
        CompleteChatStreamingAsync,
        ProtocolCompleteChat,
        ProtocolCompleteChatAsync,
        ProtocolCompleteChatStreamed,
        ProtocolCompleteChatAsyncStreamed,
        BridgeGetResponseAsync,
        BridgeGetStreamingResponseAsync,
    }

    [Test]
    public void AttachedChatClient_EveryPublicProperty_ReturnsTheOriginalsValue()
    {
        var original = NewClient();

        var attached = Logger.AttachToClient(original);

        var properties = typeof(ChatClient).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        Assert.That(properties.Select(static p => p.Name), Is.SupersetOf(new[] { "Model", "Endpoint", "Pipeline" }));
        Assert.Multiple(() =>
        {
            foreach (var property in properties)
            {
                var expected = property.GetValue(original);
                Assert.That(expected, Is.Not.Null, $"{property.Name} of the original");
                Assert.That(property.GetValue(attached), Is.EqualTo(expected), property.Name);
            }
        });
        Assert.That(attached.Pipeline, Is.SameAs(original.Pipeline), "the same pipeline: the same retries, policies and transport");
    }

    [Test]
    public async Task AsIChatClient_OverTheAttachedClient_AnswersLikeTheOriginal()
    {
        var attached = Logger.AttachToClient(NewClient()).AsIChatClient();

        var response = await attached.GetResponseAsync([new AIChatMessage(ChatRole.User, "Hi")]);

        Assert.That(response.Text, Is.EqualTo("It's sunny!"));
        Assert.That(Server.RequestCount, Is.EqualTo(1));
        var metadata = attached.GetService<ChatClientMetadata>()!;
        Assert.That(metadata.DefaultModelId, Is.EqualTo("gpt-4.1"));
        Assert.That(metadata.ProviderUri, Is.EqualTo(Server.Endpoint));
    }

    [Test]
    public async Task AttachedOpenAIClient_GetChatClient_HandsOutAttachedChatClientsRecordedUnderTheLoggersNamespace()
    {
        var original = new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = Server.Endpoint,
            RetryPolicy = new ClientRetryPolicy(0),
        });

        OpenAIClient attached = Logger.AttachToClient(original);
        var chat = attached.GetChatClient("gpt-4.1-mini");
        chat.CompleteChat(new UserChatMessage("one"));
        await chat.CompleteChatAsync(new UserChatMessage("two"));
        foreach (var update in attached.GetChatClient("gpt-4.1").CompleteChatStreaming(new UserChatMessage("three")))
        {
            Assert.That(update, Is.Not.Null);
        }

        Assert.That(attached, Is.Not.SameAs(original));
        Assert.Multiple(() =>
        {
            foreach (var property in typeof(OpenAIClient).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                Assert.That(property.GetValue(attached), Is.EqualTo(property.GetValue(original)), property.Name);
            }
        });
        Assert.That(attached.Pipeline, Is.SameAs(original.Pipeline));
        Assert.That(chat.Model, Is.EqualTo("gpt-4.1-mini"));
        Assert.That(chat.Endpoint, Is.EqualTo(Server.Endpoint));
        var lines = Database.ExportChat(Logger);
        Assert.That(lines.Select(static l => (string?)l["messages"]![0]!["content"]), Is.EqualTo(new[] { "one", "two", "three" }));
        Assert.That(lines.Select(static l => (string?)l["model"]), Is.EqualTo(new[] { "gpt-4.1-mini", "gpt-4.1-mini", "gpt-4.1" }));
        Assert.That(lines.Select(static l => (string?)l["namespace"]), Is.All.EqualTo("my-namespace"));
        Assert.That(Server.RequestCount, Is.EqualTo(3));
    }

    [Test]
    public void AttachedOpenAIClient_UnderAnotherNamespace_RecordsItsChatClientsThere()
    {
        var original = new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = Server.Endpoint });

        var attached = PromptLogging.Interception.ClientProxyFactory.Create(original, Logger.Sink, @namespace: "other-namespace");
        attached.GetChatClient("gpt-4.1").CompleteChat(new UserChatMessage("Hi"));

        Logger.Flush();
        using var reader = Database.CreateLogger("other-namespace");
        Assert.That((string?)Database.ExportChat(reader).Single()["namespace"], Is.EqualTo("other-namespace"));
        Assert.That(Database.ExportChat(Logger), Is.Empty);
    }

    [Test]
    public void AttachedOpenAIClient_ClientsItDoesNotRecord_AreHandedOutUntouched()
    {
        var attached = Logger.AttachToClient(new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = Server.Endpoint }));

        var embeddings = attached.GetEmbeddingClient("text-embedding-3-small");

        Assert.That(embeddings.GetType(), Is.EqualTo(typeof(OpenAI.Embeddings.EmbeddingClient)));
    }

    [Test]
    public void AttachToClient_OnATypeWithNoChatMethod_NamesTheClientsToAttachTo()
    {
        var exception = Assert.Throws<ArgumentException>(() => Logger.AttachToClient(new OpenAI.Embeddings.EmbeddingClient("m", "test-key")))!;

        Assert.That(exception.Message, Does.Contain("no method that looks like a chat call"));
        Assert.That(exception.Message, Does.Contain("ChatClient").And.Contain("OpenAIClient").And.Contain("IChatClient"));
    }

    [Test]
    public async Task EveryPath_RecordsEachCallExactlyOnce_WithTheSameRecord([Values] CallPath path)
    {
        Server.ReplyContent = "The quick brown fox.";
        var client = Logger.AttachToClient(NewClient());

        var text = await CallAsync(client, path);

        Assert.That(text, Is.EqualTo("The quick brown fox."), "the caller sees the reply unchanged");
        Assert.That(Server.RequestCount, Is.EqualTo(1));
        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1"));
        Assert.That((string?)line["provider"], Is.EqualTo("openai"));
        JsonAssert.AreEqual("""[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say something."}]""", line["messages"]);
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "The quick brown fox.", "finish_reason": "stop"}]""", line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 12, "output_tokens": 7}""", line["usage"]);
        JsonAssert.AreEqual("""{"max_completion_tokens": 20, "temperature": 0.5}""", line["generation_kwargs"]);
        var streamed = path.ToString().Contains("Stream", StringComparison.Ordinal);
        Assert.That((bool?)line["stream"], Is.EqualTo(streamed ? true : null));
        if (streamed)
        {
            Assert.That((double)line["time_to_first_token_seconds"]!, Is.GreaterThan(0).And.LessThanOrEqualTo((double)line["inference_seconds"]!));
        }
    }

    [Test]
    public async Task AttachToClient_OnTheBridgeOverAnAttachedChatClient_RecordsEachCallOnce()
    {
        var bridge = Logger.AttachToClient(NewClient()).AsIChatClient();

        var attachedAgain = Logger.AttachToClient(bridge);
        await attachedAgain.GetResponseAsync("Hi");

        Assert.That(attachedAgain, Is.SameAs(bridge), "the attached ChatClient under the bridge records its calls already");
        Assert.That(Database.ExportChat(Logger), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task BridgeGetStreamingResponseAsync_HandsOutTheFirstUpdateBeforeTheServerFinishes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Server.HoldStreamAfterFirstChunk = release.Task;
        Server.ReplyContent = "abcdefghi";
        var client = Logger.AttachToClient(NewClient()).AsIChatClient();
        var text = new System.Text.StringBuilder();

        await foreach (var update in client.GetStreamingResponseAsync("Hi"))
        {
            text.Append(update.Text);
            if (text.ToString() == "abc")
            {
                // The server holds the rest until now: had anything buffered the stream, this would never be reached.
                release.TrySetResult();
            }
        }

        Assert.That(text.ToString(), Is.EqualTo("abcdefghi"));
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "abcdefghi", "finish_reason": "stop"}]""",
            Database.ExportChat(Logger).Single()["completions"]);
    }

    [Test]
    public async Task BridgeGetStreamingResponseAsync_AbandonedAfterTheFirstContent_RecordsTheTextReceivedSoFarOnce()
    {
        // The server sends "abc" and holds the rest: what had arrived when the caller left is what is recorded.
        var never = new TaskCompletionSource();
        Server.HoldStreamAfterFirstChunk = never.Task;
        Server.ReplyContent = "abcdefghi";
        var client = Logger.AttachToClient(NewClient()).AsIChatClient();

        await foreach (var update in client.GetStreamingResponseAsync("Hi"))
        {
            if (update.Text.Length > 0)
            {
                break;
            }
        }

        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "abc"}]""", line["completions"]);
        Assert.That((bool?)line["stream"], Is.True);
    }

    [Test]
    public void ProtocolCompleteChat_WhenTheServerFails_RecordsTheErrorOnceAndRethrows()
    {
        Server.Mode = ServerMode.Fail500;
        var client = Logger.AttachToClient(NewClient());

        var exception = Assert.Throws<ClientResultException>(() => client.CompleteChat(Body(stream: false), new RequestOptions()))!;

        Assert.That(exception.Status, Is.EqualTo(500));
        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["error"], Does.StartWith("System.ClientModel.ClientResultException: "));
        JsonAssert.AreEqual("""[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say something."}]""", line["messages"]);
    }

    [Test]
    public void ProtocolCompleteChat_AStreamedRequestWhoseReplyTheSdkBuffered_RecordsTheAssembledText()
    {
        Server.ReplyContent = "abcdefghi";
        var client = Logger.AttachToClient(NewClient());

        var events = client.CompleteChat(Body(stream: true), new RequestOptions()).GetRawResponse().Content.ToString();

        Assert.That(TextOfEvents(events), Is.EqualTo("abcdefghi"));
        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "abcdefghi", "finish_reason": "stop"}]""", line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 12, "output_tokens": 7}""", line["usage"]);
    }

    [Test]
    public void ProtocolCompleteChat_AnUnbufferedReplyThatIsNotAStream_RecordsTheCompletionWhenTheCallerHasReadIt()
    {
        var client = Logger.AttachToClient(NewClient());

        using (var response = client.CompleteChat(Body(stream: false), new RequestOptions { BufferResponse = false }).GetRawResponse())
        {
            Assert.That(response.BufferContent().ToString(), Does.Contain("chat.completion"));
        }

        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's sunny!", "finish_reason": "stop"}]""",
            Database.ExportChat(Logger).Single()["completions"]);
    }

    [Test]
    public async Task Retries_AreOneRecordPerLogicalCall([Values] CallPath path)
    {
        Server.ReplyContent = "The quick brown fox.";
        Server.FailNextRequests = 1;
        var client = Logger.AttachToClient(NewClient(maxRetries: 1));

        var text = await CallAsync(client, path);

        Assert.That(text, Is.EqualTo("The quick brown fox."));
        Assert.That(Server.RequestCount, Is.EqualTo(2), "the first attempt failed with 500 and was retried");
        var line = Database.ExportChat(Logger).Single();
        Assert.That(line.ContainsKey("error"), Is.False);
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "The quick brown fox.", "finish_reason": "stop"}]""", line["completions"]);
    }

    private static readonly List<OpenAI.Chat.ChatMessage> Messages = [new SystemChatMessage("Be brief."), new UserChatMessage("Say something.")];

    private static ChatCompletionOptions Options() => new() { Temperature = 0.5f, MaxOutputTokenCount = 20 };

    private static async Task<string> CallAsync(ChatClient client, CallPath path)
    {
        switch (path)
        {
            case CallPath.CompleteChat:
                return client.CompleteChat(Messages, Options()).Value.Content[0].Text;
            case CallPath.CompleteChatAsync:
                return (await client.CompleteChatAsync(Messages, Options())).Value.Content[0].Text;
            case CallPath.CompleteChatStreaming:
                return string.Concat(client.CompleteChatStreaming(Messages, Options()).SelectMany(static u => u.ContentUpdate).Select(static p => p.Text));
            case CallPath.CompleteChatStreamingAsync:
                var text = new System.Text.StringBuilder();
                await foreach (var update in client.CompleteChatStreamingAsync(Messages, Options()))
                {
                    text.Append(string.Concat(update.ContentUpdate.Select(static p => p.Text)));
                }

                return text.ToString();
            case CallPath.ProtocolCompleteChat:
                return ContentOf(client.CompleteChat(Body(stream: false), new RequestOptions()));
            case CallPath.ProtocolCompleteChatAsync:
                return ContentOf(await client.CompleteChatAsync(Body(stream: false), new RequestOptions()));
            case CallPath.ProtocolCompleteChatStreamed:
            {
                using var response = client.CompleteChat(Body(stream: true), new RequestOptions { BufferResponse = false }).GetRawResponse();
                using var reader = new StreamReader(response.ContentStream!);
                return TextOfEvents(reader.ReadToEnd());
            }

            case CallPath.ProtocolCompleteChatAsyncStreamed:
            {
                using var response = (await client.CompleteChatAsync(Body(stream: true), new RequestOptions { BufferResponse = false })).GetRawResponse();
                using var reader = new StreamReader(response.ContentStream!);
                return TextOfEvents(await reader.ReadToEndAsync());
            }

            case CallPath.BridgeGetResponseAsync:
                return (await client.AsIChatClient().GetResponseAsync(AIMessages(), AIOptions())).Text;
            case CallPath.BridgeGetStreamingResponseAsync:
                return (await client.AsIChatClient().GetStreamingResponseAsync(AIMessages(), AIOptions()).ToChatResponseAsync()).Text;
            default:
                throw new ArgumentOutOfRangeException(nameof(path));
        }
    }

    private static BinaryContent Body(bool stream)
    {
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["model"] = "gpt-4.1",
            ["messages"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say something."}]"""),
            ["max_completion_tokens"] = 20,
            ["temperature"] = 0.5,
        };
        if (stream)
        {
            body["stream"] = true;
            body["stream_options"] = new System.Text.Json.Nodes.JsonObject { ["include_usage"] = true };
        }

        return BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));
    }

    private static string ContentOf(ClientResult result) =>
        (string)System.Text.Json.Nodes.JsonNode.Parse(result.GetRawResponse().Content.ToString())!["choices"]![0]!["message"]!["content"]!;

    private static string TextOfEvents(string events) => string.Concat(events
        .Split('\n')
        .Where(static l => l.StartsWith("data: {", StringComparison.Ordinal))
        .Select(static l => System.Text.Json.Nodes.JsonNode.Parse(l["data: ".Length..])!["choices"]!.AsArray())
        .Where(static c => c.Count > 0)
        .Select(static c => (string?)c[0]!["delta"]!["content"]));

    private static List<AIChatMessage> AIMessages() => [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Say something.")];

    private static ChatOptions AIOptions() => new() { Temperature = 0.5f, MaxOutputTokens = 20 };

    private ChatClient NewClient(int maxRetries = 0) => new("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions
    {
        Endpoint = Server.Endpoint,
        RetryPolicy = new ClientRetryPolicy(maxRetries),
    });
}
