using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.ChatClients;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Interception;

/// <summary>
/// Every chat record names what answered — the response's model, id and system fingerprint — while <c>model</c> stays
/// the model asked for: the server answers a request for <c>alias-model</c> as <c>alias-model-2025-01-01</c>.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class WhatAnsweredTests(StoreKind kind)
{
    public enum CallPath
    {
        CompleteChat,
        CompleteChatAsync,
        CompleteChatStreaming,
        CompleteChatStreamingAsync,
        ProtocolCompleteChat,
        ProtocolCompleteChatAsyncStreamed,
        BridgeGetResponseAsync,
        BridgeGetStreamingResponseAsync,
        ChatClientGetResponseAsync,
        ChatClientGetStreamingResponseAsync,
        MiddlewareGetResponseAsync,
        MiddlewareGetStreamingResponseAsync,
    }

    private const string AskedFor = "alias-model";
    private const string Answered = "alias-model-2025-01-01";

    private OpenAICompatibleServer _server = null!;
    private TestStore _store = null!;
    private PromptLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _store = TestStore.Create(kind);
        _server = OpenAICompatibleServer.Start();
        _server.ReplyModel = Answered;
        _server.ReplyId = "chatcmpl-alias-42";
        _server.SystemFingerprint = "fp_alias_7";
        _logger = new PromptLogger("default", _store.Url);
    }

    [TearDown]
    public void TearDown()
    {
        _logger?.Dispose();
        _server?.Dispose();
        _store?.Dispose();
    }

    [Test]
    public async Task EveryPath_RecordsTheModelAskedForAndWhatAnswered([Values] CallPath path)
    {
        var text = await CallAsync(path);

        Assert.That(text, Is.EqualTo("It's sunny!"), "the caller sees the reply unchanged");
        var line = ExportSingle();
        Assert.That(line.GetProperty("model").GetString(), Is.EqualTo(AskedFor), "model stays the model asked for");
        Assert.That(line.GetProperty("response_model").GetString(), Is.EqualTo(Answered));
        Assert.That(line.GetProperty("response_id").GetString(), Is.EqualTo("chatcmpl-alias-42"));
        Assert.That(line.GetProperty("system_fingerprint").GetString(), Is.EqualTo("fp_alias_7"));
        var names = Jsonl.Names(line);
        Assert.That(Array.IndexOf(names, "response_model"), Is.GreaterThan(Array.IndexOf(names, "provider")), "after the existing fields");
    }

    [Test]
    public void AReplyWithoutASystemFingerprint_LeavesTheFieldOut()
    {
        _server.SystemFingerprint = null;
        _logger.AttachToClient(NewClient()).CompleteChat(new UserChatMessage("Hi"));

        var line = ExportSingle();
        Assert.That(line.GetProperty("response_id").GetString(), Is.EqualTo("chatcmpl-alias-42"));
        Assert.That(line.TryGetProperty("system_fingerprint", out _), Is.False);
        Assert.That(line.TryGetProperty("stream_end", out _), Is.False, "stream_end is on stream records only");
    }

    private async Task<string> CallAsync(CallPath path)
    {
        var client = _logger.AttachToClient(NewClient());
        List<Microsoft.Extensions.AI.ChatMessage> messages = [new(ChatRole.User, "Hi")];
        switch (path)
        {
            case CallPath.CompleteChat:
                return client.CompleteChat(new UserChatMessage("Hi")).Value.Content[0].Text;
            case CallPath.CompleteChatAsync:
                return (await client.CompleteChatAsync(new UserChatMessage("Hi"))).Value.Content[0].Text;
            case CallPath.CompleteChatStreaming:
                return string.Concat(client.CompleteChatStreaming(new UserChatMessage("Hi")).SelectMany(static u => u.ContentUpdate).Select(static p => p.Text));
            case CallPath.CompleteChatStreamingAsync:
                var text = new System.Text.StringBuilder();
                await foreach (var update in client.CompleteChatStreamingAsync(new UserChatMessage("Hi")))
                {
                    text.Append(string.Concat(update.ContentUpdate.Select(static p => p.Text)));
                }

                return text.ToString();
            case CallPath.ProtocolCompleteChat:
            {
                var result = client.CompleteChat(Body(stream: false), new RequestOptions());
                return (string)System.Text.Json.Nodes.JsonNode.Parse(result.GetRawResponse().Content.ToString())!["choices"]![0]!["message"]!["content"]!;
            }

            case CallPath.ProtocolCompleteChatAsyncStreamed:
            {
                using var response = (await client.CompleteChatAsync(Body(stream: true), new RequestOptions { BufferResponse = false })).GetRawResponse();
                using var reader = new StreamReader(response.ContentStream!);
                var events = await reader.ReadToEndAsync();
                return string.Concat(events.Split('\n')
                    .Where(static l => l.StartsWith("data: {", StringComparison.Ordinal))
                    .Select(static l => System.Text.Json.Nodes.JsonNode.Parse(l["data: ".Length..])!["choices"]!.AsArray())
                    .Where(static c => c.Count > 0)
                    .Select(static c => (string?)c[0]!["delta"]!["content"]));
            }

            case CallPath.BridgeGetResponseAsync:
                return (await client.AsIChatClient().GetResponseAsync(messages)).Text;
            case CallPath.BridgeGetStreamingResponseAsync:
                return (await client.AsIChatClient().GetStreamingResponseAsync(messages).ToChatResponseAsync()).Text;
            case CallPath.ChatClientGetResponseAsync:
                return (await _logger.AttachToClient(NewClient().AsIChatClient()).GetResponseAsync(messages)).Text;
            case CallPath.ChatClientGetStreamingResponseAsync:
                return (await _logger.AttachToClient(NewClient().AsIChatClient()).GetStreamingResponseAsync(messages).ToChatResponseAsync()).Text;
            case CallPath.MiddlewareGetResponseAsync:
                return (await new ChatClientBuilder(NewClient().AsIChatClient()).UsePromptLogger(_logger).Build().GetResponseAsync(messages)).Text;
            case CallPath.MiddlewareGetStreamingResponseAsync:
                return (await new ChatClientBuilder(NewClient().AsIChatClient()).UsePromptLogger(_logger).Build().GetStreamingResponseAsync(messages).ToChatResponseAsync()).Text;
            default:
                throw new ArgumentOutOfRangeException(nameof(path));
        }
    }

    private JsonElement ExportSingle()
    {
        var file = _store.Temp.File(Guid.NewGuid().ToString("N") + ".jsonl");
        _logger.ExportChatPrompts(file);
        return Jsonl.Read(file).Single();
    }

    private static BinaryContent Body(bool stream)
    {
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["model"] = AskedFor,
            ["messages"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"role": "user", "content": "Hi"}]"""),
        };
        if (stream)
        {
            body["stream"] = true;
            body["stream_options"] = new System.Text.Json.Nodes.JsonObject { ["include_usage"] = true };
        }

        return BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));
    }

    private ChatClient NewClient() => new(AskedFor, new ApiKeyCredential("test-key"), new OpenAIClientOptions
    {
        Endpoint = _server.Endpoint,
        RetryPolicy = new ClientRetryPolicy(0),
    });
}
