// A small OpenAI-compatible chat completions server for tests and samples. It depends on the BCL only, so a sample can
// compile it by linking this file: <Compile Include="..\..\PromptLogger.Tests\Support\OpenAICompatibleServer.cs" />.
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PromptLogging.Testing;

/// <summary>How the server answers the next requests.</summary>
public enum ServerMode
{
    /// <summary>Answers with the canned reply, as JSON or as a server-sent event stream.</summary>
    Normal,

    /// <summary>Answers HTTP 500 with an OpenAI-style error body.</summary>
    Fail500,

    /// <summary>Waits <see cref="OpenAICompatibleServer.SlowDelay"/> before answering (to test timeouts and cancellation).</summary>
    Slow,

    /// <summary>Streams the first content chunk, then drops the connection.</summary>
    FailMidStream,

    /// <summary>
    /// Answers HTTP 401 with an OpenAI-style error body that echoes, in full, the API key it received (the
    /// <c>Authorization: Bearer</c> token, an <c>api-key</c> header or query value) and the request's path and query.
    /// </summary>
    Unauthorized,

    /// <summary>Answers a stream with HTTP 200 whose only event is an OpenAI-style error object, then <c>[DONE]</c>.</summary>
    ErrorEventInStream,
}

/// <summary>A tool call the server puts in its reply.</summary>
/// <param name="Id">The call id, such as <c>call_1</c>.</param>
/// <param name="Name">The function name.</param>
/// <param name="Arguments">The arguments JSON, as a string.</param>
public sealed record ToolCallReply(string Id, string Name, string Arguments);

/// <summary>
/// An OpenAI-compatible <c>POST /v1/chat/completions</c> (and <c>/chat/completions</c>) on 127.0.0.1 and a free port:
/// JSON replies, or server-sent events when the request says <c>"stream": true</c> (usage on the last chunk, then
/// <c>data: [DONE]</c>). Also the Responses API, <c>POST /v1/responses</c> (see <see cref="ResponsesApi"/>). Replies,
/// failures and delays are configurable between requests.
/// </summary>
public sealed class OpenAICompatibleServer : IDisposable
{
    private readonly LoopbackHttpListener _http;
    private readonly ConcurrentQueue<string> _requestBodies = new();
    private int _requestCount;
    private int _failNextRequests;
    private int _tooManyRequestsNext;
    private IReadOnlyList<ToolCallReply>? _toolCallsOnce;

    private OpenAICompatibleServer() => _http = LoopbackHttpListener.Start(AnswerAsync);

    /// <summary>The port the server listens on.</summary>
    public int Port => _http.Port;

    /// <summary>The base URL to give the SDK as its endpoint: <c>http://127.0.0.1:port/v1</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/v1";

    /// <summary><see cref="BaseUrl"/> as a <see cref="Uri"/>.</summary>
    public Uri Endpoint => new(BaseUrl);

    /// <summary>How the next requests are answered. Default <see cref="ServerMode.Normal"/>.</summary>
    public ServerMode Mode { get; set; }

    /// <summary>The assistant's text. Default <c>It's sunny!</c>.</summary>
    public string? ReplyContent { get; set; } = "It's sunny!";

    /// <summary>The finish reason on the wire. Default <c>stop</c>.</summary>
    public string FinishReason { get; set; } = "stop";

    /// <summary>The model named in replies; default the requested model.</summary>
    public string? ReplyModel { get; set; }

    /// <summary>The response id in replies (every chunk of a stream carries it). Default <c>chatcmpl-test</c>.</summary>
    public string ReplyId { get; set; } = "chatcmpl-test";

    /// <summary>The <c>system_fingerprint</c> in replies; none when null (the default).</summary>
    public string? SystemFingerprint { get; set; }

    /// <summary>Tool calls to put in the reply (with <see cref="FinishReason"/> normally <c>tool_calls</c>).</summary>
    public IReadOnlyList<ToolCallReply> ToolCalls { get; set; } = [];

    /// <summary>
    /// Tool calls for the next chat completions reply only, which then has no text and finish reason <c>tool_calls</c>;
    /// the replies after it are the configured ones. For clients that answer tool calls by themselves and ask again
    /// within one call (Semantic Kernel's automatic function calling).
    /// </summary>
    public IReadOnlyList<ToolCallReply>? ToolCallsOnce
    {
        get => Volatile.Read(ref _toolCallsOnce);
        set => Volatile.Write(ref _toolCallsOnce, value);
    }

    /// <summary>Prompt tokens reported in usage. Default 12.</summary>
    public int PromptTokens { get; set; } = 12;

    /// <summary>Completion tokens reported in usage. Default 7.</summary>
    public int CompletionTokens { get; set; } = 7;

    /// <summary>Reasoning tokens reported in the usage details (Chat Completions and Responses); null (the default) reports no details.</summary>
    public int? ReasoningTokens { get; set; }

    /// <summary>Cached prompt tokens reported in the usage details (Chat Completions and Responses); null (the default) reports no details.</summary>
    public int? CachedTokens { get; set; }

    /// <summary>How long <see cref="ServerMode.Slow"/> waits. Default 10 seconds.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many pieces the streamed content is cut into. Default 3.</summary>
    public int StreamPieces { get; set; } = 3;

    /// <summary>When set, a stream waits for this task after its first content chunk (to show the client reads lazily).</summary>
    public Task? HoldStreamAfterFirstChunk { get; set; }

    /// <summary>How many of the next requests are answered HTTP 500 before the mode applies again (to test retries).</summary>
    public int FailNextRequests
    {
        get => Volatile.Read(ref _failNextRequests);
        set => Volatile.Write(ref _failNextRequests, value);
    }

    /// <summary>
    /// The assistant's text by requested model: a model named here gets its own reply, any other <see cref="ReplyContent"/>
    /// (two runs of the same prompts against two models then answer differently).
    /// </summary>
    public IDictionary<string, string> ReplyContentByModel { get; } = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// How many of the next requests are answered HTTP 429 (rate limited) with a <c>Retry-After</c> header of
    /// <see cref="RetryAfterSeconds"/>, before the mode applies again.
    /// </summary>
    public int TooManyRequestsNext
    {
        get => Volatile.Read(ref _tooManyRequestsNext);
        set => Volatile.Write(ref _tooManyRequestsNext, value);
    }

    /// <summary>The <c>Retry-After</c> of a 429 answer, in seconds. Default 1.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>When each chat request arrived, in arrival order.</summary>
    public IReadOnlyList<DateTimeOffset> RequestTimes => [.. _requestTimes];

    private readonly ConcurrentQueue<DateTimeOffset> _requestTimes = new();

    /// <summary>How many chat requests arrived.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>The bodies of the chat requests, in arrival order.</summary>
    public IReadOnlyList<string> RequestBodies => [.. _requestBodies];

    /// <summary>Starts a server on 127.0.0.1 and a free port.</summary>
    public static OpenAICompatibleServer Start() => new();

    /// <summary>Stops listening.</summary>
    public void Dispose() => _http.Dispose();

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url?.AbsolutePath.TrimEnd('/') ?? string.Empty;
        var responsesApi = path.EndsWith("/responses", StringComparison.Ordinal);
        if (request.HttpMethod != "POST" || !(responsesApi || path.EndsWith("/chat/completions", StringComparison.Ordinal)))
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
        _requestTimes.Enqueue(DateTimeOffset.UtcNow);
        Interlocked.Increment(ref _requestCount);
        var json = JsonNode.Parse(body) as JsonObject ?? [];
        var requested = json["model"]?.GetValue<string>();
        var model = ReplyModel ?? requested ?? "gpt-4.1";
        var stream = json["stream"]?.GetValue<bool>() == true;

        if (Interlocked.Decrement(ref _tooManyRequestsNext) >= 0)
        {
            response.Headers["Retry-After"] = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteJsonAsync(response, 429, new JsonObject
            {
                ["error"] = new JsonObject { ["message"] = "Rate limit reached. Please try again later.", ["type"] = "requests", ["code"] = "rate_limit_exceeded" },
            }).ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _tooManyRequestsNext);

        var failThisOne = Interlocked.Decrement(ref _failNextRequests) >= 0;
        if (!failThisOne)
        {
            Interlocked.Increment(ref _failNextRequests);
        }

        switch (failThisOne ? ServerMode.Fail500 : Mode)
        {
            case ServerMode.Fail500:
                await WriteJsonAsync(response, 500, new JsonObject
                {
                    ["error"] = new JsonObject { ["message"] = "The server had an error while processing your request.", ["type"] = "server_error" },
                }).ConfigureAwait(false);
                return;
            case ServerMode.Unauthorized:
                var key = request.Headers["Authorization"]?.Replace("Bearer ", string.Empty, StringComparison.Ordinal)
                    ?? request.Headers["api-key"] ?? request.QueryString["api-key"];
                await WriteJsonAsync(response, 401, new JsonObject
                {
                    ["error"] = new JsonObject
                    {
                        ["message"] = $"Incorrect API key provided: {key}. Request: POST {request.Url?.PathAndQuery}",
                        ["type"] = "invalid_request_error",
                        ["code"] = "invalid_api_key",
                    },
                }).ConfigureAwait(false);
                return;
            case ServerMode.Slow:
                await Task.Delay(SlowDelay, _http.Stopping).ConfigureAwait(false);
                break;
        }

        if (responsesApi)
        {
            await ResponsesApi.AnswerAsync(this, response, model, stream).ConfigureAwait(false);
        }
        else
        {
            var answer = Interlocked.Exchange(ref _toolCallsOnce, null) is { } once
                ? new Answer(null, "tool_calls", once)
                : new Answer(requested is not null && ReplyContentByModel.TryGetValue(requested, out var own) ? own : ReplyContent, FinishReason, ToolCalls);
            await (stream ? StreamAsync(response, model, answer) : WriteJsonAsync(response, 200, Completion(model, answer))).ConfigureAwait(false);
        }
    }

    /// <summary>What one chat completions reply says.</summary>
    private sealed record Answer(string? Content, string FinishReason, IReadOnlyList<ToolCallReply> ToolCalls);

    private JsonObject Completion(string model, Answer answer)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = answer.Content };
        if (answer.ToolCalls.Count > 0)
        {
            var calls = new JsonArray();
            foreach (var call in answer.ToolCalls)
            {
                calls.Add(new JsonObject
                {
                    ["id"] = call.Id,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
                });
            }

            message["tool_calls"] = calls;
        }

        var completion = new JsonObject
        {
            ["id"] = ReplyId,
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = answer.FinishReason,
            }),
            ["usage"] = Usage(),
        };
        return WithFingerprint(completion);
    }

    private JsonObject WithFingerprint(JsonObject reply)
    {
        if (SystemFingerprint is { } fingerprint)
        {
            reply["system_fingerprint"] = fingerprint;
        }

        return reply;
    }

    private JsonObject Usage()
    {
        var usage = new JsonObject
        {
            ["prompt_tokens"] = PromptTokens,
            ["completion_tokens"] = CompletionTokens,
            ["total_tokens"] = PromptTokens + CompletionTokens,
        };
        if (CachedTokens is { } cached)
        {
            usage["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cached };
        }

        if (ReasoningTokens is { } reasoning)
        {
            usage["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = reasoning };
        }

        return usage;
    }

    private async Task StreamAsync(HttpListenerResponse response, string model, Answer answer)
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
        if (Mode == ServerMode.ErrorEventInStream)
        {
            await WriteEventAsync(output, new JsonObject
            {
                ["error"] = new JsonObject { ["message"] = "The server had an error while processing your request.", ["type"] = "server_error" },
            }).ConfigureAwait(false);
            await WriteRawAsync(output, "data: [DONE]\n\n").ConfigureAwait(false);
            response.Close();
            return;
        }

        await WriteEventAsync(output, Chunk(model, new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null)).ConfigureAwait(false);
        var pieces = Split(answer.Content ?? string.Empty, Math.Max(1, StreamPieces));
        for (var i = 0; i < pieces.Count; i++)
        {
            await WriteEventAsync(output, Chunk(model, new JsonObject { ["content"] = pieces[i] }, null)).ConfigureAwait(false);
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

        for (var i = 0; i < answer.ToolCalls.Count; i++)
        {
            var call = answer.ToolCalls[i];
            var half = call.Arguments.Length / 2;
            await WriteEventAsync(output, Chunk(model, ToolCallDelta(i, call.Id, call.Name, call.Arguments[..half]), null)).ConfigureAwait(false);
            await WriteEventAsync(output, Chunk(model, ToolCallDelta(i, null, null, call.Arguments[half..]), null)).ConfigureAwait(false);
        }

        await WriteEventAsync(output, Chunk(model, [], answer.FinishReason)).ConfigureAwait(false);
        var usage = Chunk(model, null, null);
        usage["choices"] = new JsonArray();
        usage["usage"] = Usage();
        await WriteEventAsync(output, usage).ConfigureAwait(false);
        await WriteRawAsync(output, "data: [DONE]\n\n").ConfigureAwait(false);
        response.Close();
    }

    private static JsonObject ToolCallDelta(int index, string? id, string? name, string arguments)
    {
        var function = new JsonObject { ["arguments"] = arguments };
        if (name is not null)
        {
            function["name"] = name;
        }

        var call = new JsonObject { ["index"] = index, ["function"] = function };
        if (id is not null)
        {
            call["id"] = id;
            call["type"] = "function";
        }

        return new JsonObject { ["tool_calls"] = new JsonArray(call) };
    }

    private JsonObject Chunk(string model, JsonObject? delta, string? finishReason) => WithFingerprint(new()
    {
        ["id"] = ReplyId,
        ["object"] = "chat.completion.chunk",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = delta is null
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason }),
    });

    internal static List<string> Split(string text, int pieces)
    {
        var result = new List<string>();
        var size = Math.Max(1, (int)Math.Ceiling(text.Length / (double)pieces));
        for (var start = 0; start < text.Length; start += size)
        {
            result.Add(text.Substring(start, Math.Min(size, text.Length - start)));
        }

        return result;
    }

    internal static Task WriteEventAsync(Stream output, JsonObject data) => WriteRawAsync(output, $"data: {data.ToJsonString()}\n\n");

    internal static async Task WriteRawAsync(Stream output, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await output.WriteAsync(bytes).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }

    internal static async Task WriteJsonAsync(HttpListenerResponse response, int status, JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }

    /// <summary>
    /// The Responses API (<c>POST /v1/responses</c>), with the shapes of the OpenAI .NET SDK's recorded sessions: a
    /// response object whose <c>output</c> holds a message item (<c>output_text</c>) and a <c>function_call</c> item per
    /// tool call, usage with input, output and reasoning tokens; streamed, the events <c>response.created</c>,
    /// <c>response.in_progress</c>, <c>response.output_item.added</c>, <c>response.content_part.added</c>,
    /// <c>response.output_text.delta</c> (one per piece), <c>response.output_text.done</c>, …,
    /// <c>response.function_call_arguments.delta</c>, and <c>response.completed</c> with the whole response (no
    /// <c>[DONE]</c>). <see cref="ServerMode.FailMidStream"/> drops the connection after the first text delta.
    /// </summary>
    internal static class ResponsesApi
    {
        private const string ResponseId = "resp_test";
        private const string MessageId = "msg_test";

        public static async Task AnswerAsync(OpenAICompatibleServer server, HttpListenerResponse response, string model, bool stream)
        {
            if (!stream)
            {
                await WriteJsonAsync(response, 200, Response(server, model, "completed")).ConfigureAwait(false);
                return;
            }

            response.StatusCode = 200;
            response.ContentType = "text/event-stream";
            if (server.Mode == ServerMode.FailMidStream)
            {
                response.ContentLength64 = 1 << 20;
            }
            else
            {
                response.SendChunked = true;
            }

            var output = response.OutputStream;
            var sequence = 0;
            Task Send(string type, JsonObject data)
            {
                data["type"] = type;
                data["sequence_number"] = sequence++;
                return WriteRawAsync(output, $"event: {type}\ndata: {data.ToJsonString()}\n\n");
            }

            await Send("response.created", new JsonObject { ["response"] = Response(server, model, "in_progress", empty: true) }).ConfigureAwait(false);
            await Send("response.in_progress", new JsonObject { ["response"] = Response(server, model, "in_progress", empty: true) }).ConfigureAwait(false);
            var text = server.ReplyContent;
            var index = 0;
            if (text is not null)
            {
                await Send("response.output_item.added", new JsonObject
                {
                    ["output_index"] = index,
                    ["item"] = new JsonObject { ["id"] = MessageId, ["type"] = "message", ["status"] = "in_progress", ["content"] = new JsonArray(), ["role"] = "assistant" },
                }).ConfigureAwait(false);
                await Send("response.content_part.added", new JsonObject
                {
                    ["item_id"] = MessageId, ["output_index"] = index, ["content_index"] = 0,
                    ["part"] = new JsonObject { ["type"] = "output_text", ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray(), ["text"] = string.Empty },
                }).ConfigureAwait(false);
                var pieces = Split(text, Math.Max(1, server.StreamPieces));
                for (var i = 0; i < pieces.Count; i++)
                {
                    await Send("response.output_text.delta", new JsonObject
                    {
                        ["item_id"] = MessageId, ["output_index"] = index, ["content_index"] = 0, ["delta"] = pieces[i], ["logprobs"] = new JsonArray(),
                    }).ConfigureAwait(false);
                    if (i == 0 && server.Mode == ServerMode.FailMidStream)
                    {
                        response.Abort();
                        return;
                    }
                }

                await Send("response.output_text.done", new JsonObject
                {
                    ["item_id"] = MessageId, ["output_index"] = index, ["content_index"] = 0, ["text"] = text, ["logprobs"] = new JsonArray(),
                }).ConfigureAwait(false);
                await Send("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = MessageItem(text) }).ConfigureAwait(false);
                index++;
            }

            foreach (var call in server.ToolCalls)
            {
                var itemId = "fc_" + call.Id;
                var added = FunctionCallItem(call);
                added["status"] = "in_progress";
                added["arguments"] = string.Empty;
                await Send("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = added }).ConfigureAwait(false);
                var half = call.Arguments.Length / 2;
                foreach (var delta in new[] { call.Arguments[..half], call.Arguments[half..] })
                {
                    await Send("response.function_call_arguments.delta", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["delta"] = delta }).ConfigureAwait(false);
                }

                await Send("response.function_call_arguments.done", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["arguments"] = call.Arguments }).ConfigureAwait(false);
                await Send("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = FunctionCallItem(call) }).ConfigureAwait(false);
                index++;
            }

            await Send("response.completed", new JsonObject { ["response"] = Response(server, model, "completed") }).ConfigureAwait(false);
            response.Close();
        }

        private static JsonObject Response(OpenAICompatibleServer server, string model, string status, bool empty = false)
        {
            var output = new JsonArray();
            if (!empty && server.ReplyContent is { } text)
            {
                output.Add(MessageItem(text));
            }

            foreach (var call in empty ? [] : server.ToolCalls)
            {
                output.Add(FunctionCallItem(call));
            }

            return new JsonObject
            {
                ["id"] = ResponseId,
                ["object"] = "response",
                ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["status"] = status,
                ["error"] = null,
                ["incomplete_details"] = null,
                ["model"] = model,
                ["output"] = output,
                ["parallel_tool_calls"] = true,
                ["tool_choice"] = "auto",
                ["tools"] = new JsonArray(),
                ["usage"] = empty ? null : new JsonObject
                {
                    ["input_tokens"] = server.PromptTokens,
                    ["input_tokens_details"] = server.CachedTokens is { } cached ? new JsonObject { ["cached_tokens"] = cached } : null,
                    ["output_tokens"] = server.CompletionTokens,
                    ["output_tokens_details"] = server.ReasoningTokens is { } reasoning ? new JsonObject { ["reasoning_tokens"] = reasoning } : null,
                    ["total_tokens"] = server.PromptTokens + server.CompletionTokens,
                },
                ["metadata"] = new JsonObject(),
            };
        }

        private static JsonObject MessageItem(string text) => new()
        {
            ["id"] = MessageId,
            ["type"] = "message",
            ["status"] = "completed",
            ["content"] = new JsonArray(new JsonObject
            {
                ["type"] = "output_text", ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray(), ["text"] = text,
            }),
            ["role"] = "assistant",
        };

        private static JsonObject FunctionCallItem(ToolCallReply call) => new()
        {
            ["id"] = "fc_" + call.Id,
            ["type"] = "function_call",
            ["status"] = "completed",
            ["arguments"] = call.Arguments,
            ["call_id"] = call.Id,
            ["name"] = call.Name,
        };
    }
}
