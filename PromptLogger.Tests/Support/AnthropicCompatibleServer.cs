using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace PromptLogging.Testing;

/// <summary>
/// An Anthropic-compatible <c>POST /v1/messages</c> on 127.0.0.1 and a free port, for the official Anthropic SDK: a
/// JSON message, or, when the request says <c>"stream": true</c>, server-sent events as the Messages API sends them —
/// <c>message_start</c>, a <c>ping</c>, a text block (<c>content_block_start</c>, one <c>text_delta</c> per piece,
/// <c>content_block_stop</c>), a <c>tool_use</c> block per tool call (its input in two <c>input_json_delta</c>
/// pieces), <c>message_delta</c> (stop reason and output tokens) and <c>message_stop</c>. The modes of
/// <see cref="ServerMode"/> apply: <see cref="ServerMode.Fail500"/> answers HTTP 500 with an Anthropic error body,
/// <see cref="ServerMode.ErrorEventInStream"/> puts an <c>error</c> event inside a 200 stream after
/// <c>message_start</c>, <see cref="ServerMode.FailMidStream"/> drops the connection after the first text delta.
/// </summary>
public sealed class AnthropicCompatibleServer : IDisposable
{
    private readonly LoopbackHttpListener _http;
    private readonly ConcurrentQueue<string> _requestBodies = new();
    private int _requestCount;
    private int _failNextRequests;

    private AnthropicCompatibleServer() => _http = LoopbackHttpListener.Start(AnswerAsync);

    /// <summary>The port the server listens on.</summary>
    public int Port => _http.Port;

    /// <summary>The base URL to give the SDK (<c>AnthropicClient.BaseUrl</c>): <c>http://127.0.0.1:port</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>How the next requests are answered. Default <see cref="ServerMode.Normal"/>.</summary>
    public ServerMode Mode { get; set; }

    /// <summary>The assistant's text (a text block); none when null. Default <c>It's sunny!</c>.</summary>
    public string? ReplyText { get; set; } = "It's sunny!";

    /// <summary>The <c>stop_reason</c>. Default <c>end_turn</c>.</summary>
    public string StopReason { get; set; } = "end_turn";

    /// <summary>The model named in replies; default the requested model.</summary>
    public string? ReplyModel { get; set; }

    /// <summary>The message id in replies. Default <c>msg_test</c>.</summary>
    public string ReplyId { get; set; } = "msg_test";

    /// <summary><c>tool_use</c> blocks to put in the reply after the text (with <see cref="StopReason"/> normally <c>tool_use</c>); arguments are the input JSON.</summary>
    public IReadOnlyList<ToolCallReply> ToolUses { get; set; } = [];

    /// <summary>Input tokens reported in usage. Default 12.</summary>
    public int InputTokens { get; set; } = 12;

    /// <summary>Output tokens reported in usage. Default 7.</summary>
    public int OutputTokens { get; set; } = 7;

    /// <summary>How long <see cref="ServerMode.Slow"/> waits. Default 10 seconds.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many pieces the streamed text is cut into. Default 3.</summary>
    public int StreamPieces { get; set; } = 3;

    /// <summary>When set, a stream waits for this task after its first text delta (to show the client reads lazily).</summary>
    public Task? HoldStreamAfterFirstChunk { get; set; }

    /// <summary>How many of the next requests are answered HTTP 500 before the mode applies again (to test retries).</summary>
    public int FailNextRequests
    {
        get => Volatile.Read(ref _failNextRequests);
        set => Volatile.Write(ref _failNextRequests, value);
    }

    /// <summary>How many messages requests arrived.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>The bodies of the messages requests, in arrival order.</summary>
    public IReadOnlyList<string> RequestBodies => [.. _requestBodies];

    /// <summary>Starts a server on 127.0.0.1 and a free port.</summary>
    public static AnthropicCompatibleServer Start() => new();

    /// <summary>Stops listening.</summary>
    public void Dispose() => _http.Dispose();

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url?.AbsolutePath.TrimEnd('/') ?? string.Empty;
        if (request.HttpMethod != "POST" || path != "/v1/messages")
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }

        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync().ConfigureAwait(false);
        }

        _requestBodies.Enqueue(body);
        Interlocked.Increment(ref _requestCount);
        var json = JsonNode.Parse(body) as JsonObject ?? [];
        var model = ReplyModel ?? json["model"]?.GetValue<string>() ?? "claude-sonnet-4-5";
        var stream = json["stream"]?.GetValue<bool>() == true;

        var failThisOne = Interlocked.Decrement(ref _failNextRequests) >= 0;
        if (!failThisOne)
        {
            Interlocked.Increment(ref _failNextRequests);
        }

        switch (failThisOne ? ServerMode.Fail500 : Mode)
        {
            case ServerMode.Fail500:
                await OpenAICompatibleServer.WriteJsonAsync(response, 500, Error("api_error", "Internal server error")).ConfigureAwait(false);
                return;
            case ServerMode.Unauthorized:
                await OpenAICompatibleServer.WriteJsonAsync(response, 401, Error("authentication_error", "invalid x-api-key")).ConfigureAwait(false);
                return;
            case ServerMode.Slow:
                await Task.Delay(SlowDelay, _http.Stopping).ConfigureAwait(false);
                break;
        }

        if (stream)
        {
            await StreamAsync(response, model).ConfigureAwait(false);
        }
        else
        {
            await OpenAICompatibleServer.WriteJsonAsync(response, 200, Message(model, whole: true)).ConfigureAwait(false);
        }
    }

    private static JsonObject Error(string type, string message) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
    };

    private JsonObject Message(string model, bool whole)
    {
        var content = new JsonArray();
        if (whole && ReplyText is { } text)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        }

        foreach (var toolUse in whole ? ToolUses : [])
        {
            content.Add(new JsonObject { ["type"] = "tool_use", ["id"] = toolUse.Id, ["name"] = toolUse.Name, ["input"] = JsonNode.Parse(toolUse.Arguments) });
        }

        return new JsonObject
        {
            ["id"] = ReplyId,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = content,
            ["stop_reason"] = whole ? StopReason : null,
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = InputTokens, ["output_tokens"] = whole ? OutputTokens : 1 },
        };
    }

    private async Task StreamAsync(HttpListenerResponse response, string model)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        if (Mode == ServerMode.FailMidStream)
        {
            // Promise more bytes than will come, so dropping the connection is a truncated response, not a clean end.
            response.ContentLength64 = 1 << 20;
        }
        else
        {
            response.SendChunked = true;
        }

        var output = response.OutputStream;
        Task Send(string type, JsonObject data)
        {
            data["type"] = type;
            return OpenAICompatibleServer.WriteRawAsync(output, $"event: {type}\ndata: {data.ToJsonString()}\n\n");
        }

        await Send("message_start", new JsonObject { ["message"] = Message(model, whole: false) }).ConfigureAwait(false);
        if (Mode == ServerMode.ErrorEventInStream)
        {
            await Send("error", Error("overloaded_error", "Overloaded")).ConfigureAwait(false);
            response.Close();
            return;
        }

        await Send("ping", []).ConfigureAwait(false);
        var index = 0;
        if (ReplyText is { } text)
        {
            await Send("content_block_start", new JsonObject { ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = string.Empty } }).ConfigureAwait(false);
            var pieces = OpenAICompatibleServer.Split(text, Math.Max(1, StreamPieces));
            for (var i = 0; i < pieces.Count; i++)
            {
                await Send("content_block_delta", new JsonObject { ["index"] = index, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = pieces[i] } }).ConfigureAwait(false);
                if (i == 0)
                {
                    if (Mode == ServerMode.FailMidStream)
                    {
                        response.Abort();
                        return;
                    }

                    if (HoldStreamAfterFirstChunk is { } hold)
                    {
                        await hold.WaitAsync(_http.Stopping).ConfigureAwait(false);
                    }
                }
            }

            await Send("content_block_stop", new JsonObject { ["index"] = index }).ConfigureAwait(false);
            index++;
        }

        foreach (var toolUse in ToolUses)
        {
            await Send("content_block_start", new JsonObject
            {
                ["index"] = index,
                ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = toolUse.Id, ["name"] = toolUse.Name, ["input"] = new JsonObject() },
            }).ConfigureAwait(false);
            var half = toolUse.Arguments.Length / 2;
            foreach (var piece in new[] { toolUse.Arguments[..half], toolUse.Arguments[half..] })
            {
                await Send("content_block_delta", new JsonObject { ["index"] = index, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = piece } }).ConfigureAwait(false);
            }

            await Send("content_block_stop", new JsonObject { ["index"] = index }).ConfigureAwait(false);
            index++;
        }

        await Send("message_delta", new JsonObject
        {
            ["delta"] = new JsonObject { ["stop_reason"] = StopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = OutputTokens },
        }).ConfigureAwait(false);
        await Send("message_stop", []).ConfigureAwait(false);
        response.Close();
    }
}
