using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Responses;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Reads the OpenAI SDK's Responses API (<see cref="ResponsesClient"/>) as chat prompts, at its protocol methods
/// <c>CreateResponse[Async](BinaryContent, RequestOptions)</c>: every convenience method (<c>CreateResponse[Async]</c>,
/// <c>CreateResponseStreamingAsync</c>, each overload) arrives there, because the attached client runs them on itself
/// (see <see cref="Castle.ProxyConstructorArguments.RunsOnItself"/>).
/// </summary>
/// <remarks>
/// The request is the wire JSON: <c>instructions</c> become a <c>system</c> message ahead of the <c>input</c> items
/// (messages by role; a <c>function_call</c> item an assistant message with its tool call; a
/// <c>function_call_output</c> a <c>tool</c> message), <c>tools</c> the tools, and every other field but <c>model</c>
/// and <c>stream</c> the generation kwargs under the names the API received (<c>max_output_tokens</c>, <c>top_p</c>, …).
/// The reply — the response object, or for a stream its <c>response.completed</c> event (or, when the stream ended
/// before it, the text and function-call deltas seen) — gives one assistant completion: the <c>output_text</c> of its
/// message items and its <c>function_call</c> items as tool calls, with usage (input and output tokens). Reasoning
/// tokens (<c>usage.output_tokens_details.reasoning_tokens</c>) have no place in the record yet and are not kept.
/// All of it is read on the background writer; the caller's thread copies the request body only.
/// </remarks>
internal sealed class OpenAIResponsesReader : CallReader
{
    private static readonly OpenAIResponsesReader Instance = new();
    private static readonly OpenAIProtocol.ReplyReader ReadReplyFunction = ReadReply;

    // Wire fields of the request that are recorded elsewhere (or not generation parameters at all).
    private static readonly string[] NotGenerationKwargs = ["input", "instructions", "model", "stream", "stream_options", "tools"];

    public override CallKind Kind => CallKind.Chat;

    /// <summary>
    /// Whether <paramref name="method"/> belongs to the Responses API client: then only this reader decides whether it
    /// is recorded (its <c>GetResponse(responseId)</c> fetches a stored response and is no chat call).
    /// </summary>
    public static bool Owns(MethodInfo method) => method.DeclaringType?.IsAssignableTo(typeof(ResponsesClient)) == true;

    /// <summary>A reader for <c>ResponsesClient.CreateResponse[Async](BinaryContent, RequestOptions)</c>.</summary>
    public static CallReader? TryCreate(MethodInfo method, ParameterInfo[] parameters, ReturnShape shape, Type itemType) =>
        Owns(method) && method.Name is "CreateResponse" or "CreateResponseAsync" && OpenAIProtocol.IsProtocolMethod(parameters, shape, itemType)
            ? Instance
            : null;

    public override CallRequest ReadRequest(ProxiedClient client, object?[] arguments) =>
        new Snapshot(OpenAIProtocol.CopyBody(arguments[0]))
        {
            Kind = CallKind.Chat,
            Provider = OpenAIChatReader.Provider,
            Stream = OpenAIProtocol.AsksForStream(arguments[1]),
            CancellationToken = OpenAIProtocol.CancellationOf(arguments[1]),
        };

    public override CallRequest FallbackRequest(ProxiedClient client, object?[] arguments) =>
        new() { Kind = CallKind.Chat, Provider = OpenAIChatReader.Provider };

    public override bool ObservesRest(object? result, CapturedCall call) =>
        OpenAIProtocol.ObserveStream(result, call, ReadReplyFunction, (call.Request as Snapshot)?.CancellationToken ?? default);

    public override object? Retain(object? result) => OpenAIProtocol.RetainBody(result);

    public override long RetainedLength(object? retained) => retained is BinaryData body ? body.Length : 0;

    public override void ReadResult(object? result, CallOutcome outcome)
    {
        if (result is BinaryData body && !body.IsEmpty)
        {
            ReadReply(body.ToMemory(), outcome, out _);
        }
    }

    public override StreamObserver<T> CreateStreamObserver<T>() => new IgnoringStreamObserver<T>();

    /// <summary>
    /// Reads a reply body: a response object, or the server-sent events of a stream. Returns, for events, the offset
    /// just past the first that carried content (a text delta or a function call); <paramref name="whole"/> tells
    /// whether the reply was complete (a response object, or a stream that reached its final event). Runs on the writer.
    /// </summary>
    internal static int? ReadReply(ReadOnlyMemory<byte> bytes, CallOutcome outcome, out bool whole)
    {
        whole = false;
        if (OpenAIProtocol.FirstNonWhiteSpace(bytes.Span) == (byte)'{')
        {
            if (JsonNode.Parse(bytes.Span) is JsonObject response)
            {
                ReadResponse(response, outcome);
                whole = true;
            }

            return null;
        }

        var stream = new StreamAssembly();
        var firstContentEnd = OpenAIServerSentEvents.ForEachEvent(bytes, stream.Observe, out _);
        stream.Finish(outcome);
        whole = stream.ReachedItsEnd;
        return firstContentEnd;
    }

    private static CallRequest ReadSnapshot(ReadOnlyMemory<byte> body, bool streamed)
    {
        if (body.IsEmpty || JsonNode.Parse(body.Span) is not JsonObject wire)
        {
            return new CallRequest { Kind = CallKind.Chat, Provider = OpenAIChatReader.Provider, Stream = streamed };
        }

        var messages = new List<CapturedMessage>();
        if (Text(wire["instructions"]) is { } instructions)
        {
            messages.Add(new CapturedMessage("system", instructions));
        }

        switch (wire["input"])
        {
            case JsonArray items:
                ReadInputItems(items, messages);
                break;
            case JsonValue text when text.TryGetValue<string>(out var prompt):
                messages.Add(new CapturedMessage("user", prompt));
                break;
        }

        var tools = wire["tools"] is JsonArray toolArray ? ReadTools(toolArray) : [];
        var model = Text(wire["model"]);
        var user = Text(wire["user"]);
        foreach (var name in NotGenerationKwargs)
        {
            wire.Remove(name);
        }

        return new CallRequest
        {
            Kind = CallKind.Chat,
            Model = model,
            Provider = OpenAIChatReader.Provider,
            Messages = messages,
            Tools = tools,
            GenerationKwargs = wire.Count > 0 ? wire : null,
            Stream = streamed,
            UserId = user,
        };
    }

    private static void ReadInputItems(JsonArray items, List<CapturedMessage> messages)
    {
        foreach (var node in items)
        {
            if (node is not JsonObject item)
            {
                continue;
            }

            // An item without a type is a message (the API's "easy input message").
            switch (Text(item["type"]) ?? "message")
            {
                case "message":
                    messages.Add(new CapturedMessage(Text(item["role"]) ?? "user", ContentText(item["content"])));
                    break;
                case "function_call":
                    var call = ToolCall(item);
                    // Consecutive calls of one turn belong to one assistant message, as in Chat Completions.
                    if (messages.Count > 0 && messages[^1] is { Role: "assistant", Content: null, ToolCalls: { } previous })
                    {
                        messages[^1] = messages[^1] with { ToolCalls = [.. previous, call] };
                    }
                    else
                    {
                        messages.Add(new CapturedMessage("assistant", null, ToolCalls: [call]));
                    }

                    break;
                case "function_call_output":
                    messages.Add(new CapturedMessage("tool", ContentText(item["output"]), Text(item["call_id"])));
                    break;
            }
        }
    }

    // Responses API tools are flat: { "type": "function", "name", "description", "parameters" }.
    private static CapturedTool[] ReadTools(JsonArray tools)
    {
        var captured = new List<CapturedTool>(tools.Count);
        foreach (var node in tools)
        {
            if (node is JsonObject tool && Text(tool["name"]) is { } name)
            {
                captured.Add(new CapturedTool(name, Text(tool["description"]), tool["parameters"]?.DeepClone(), Text(tool["type"]) ?? "function"));
            }
        }

        return [.. captured];
    }

    private static void ReadResponse(JsonObject response, CallOutcome outcome)
    {
        outcome.ResponseModel = Text(response["model"]);
        outcome.ResponseId = Text(response["id"]);
        if (response["usage"] is JsonObject usage)
        {
            outcome.Usage = new CapturedUsage(
                Number(usage["input_tokens"]),
                Number(usage["output_tokens"]),
                Number(usage["input_tokens_details"]?["cached_tokens"]),
                Number(usage["output_tokens_details"]?["reasoning_tokens"]));
        }

        if (response["output"] is not JsonArray output)
        {
            return;
        }

        StringBuilder? text = null;
        List<CapturedToolCall>? toolCalls = null;
        var any = false;
        foreach (var node in output)
        {
            if (node is not JsonObject item)
            {
                continue;
            }

            switch (Text(item["type"]))
            {
                case "message":
                    any = true;
                    if (ContentText(item["content"]) is { } part)
                    {
                        (text ??= new StringBuilder()).Append(part);
                    }

                    break;
                case "function_call":
                    any = true;
                    (toolCalls ??= []).Add(ToolCall(item));
                    break;
            }
        }

        if (any)
        {
            outcome.Completions = [new CapturedCompletion("assistant", text?.ToString(), FinishReason(response, toolCalls is not null), toolCalls)];
        }
    }

    // The Chat Completions vocabulary the other records use: stop, tool_calls, length, content_filter.
    private static string? FinishReason(JsonObject response, bool calledTools) => Text(response["status"]) switch
    {
        "completed" => calledTools ? "tool_calls" : "stop",
        "incomplete" => Text((response["incomplete_details"] as JsonObject)?["reason"]) switch
        {
            "max_output_tokens" => "length",
            var reason => reason,
        },
        var status => status,
    };

    private static CapturedToolCall ToolCall(JsonObject item) =>
        new(Text(item["call_id"]) ?? Text(item["id"]), Text(item["name"]) ?? string.Empty, Text(item["arguments"]));

    // A message's content: a string, or parts of which the text ones (input_text, output_text) are joined; a refusal
    // part counts when there is no text.
    private static string? ContentText(JsonNode? content)
    {
        switch (content)
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                return text;
            case JsonArray parts:
                StringBuilder? joined = null;
                string? refusal = null;
                foreach (var part in parts)
                {
                    if (part is not JsonObject partObject)
                    {
                        continue;
                    }

                    switch (Text(partObject["type"]))
                    {
                        case "input_text" or "output_text" or "text":
                            (joined ??= new StringBuilder()).Append(Text(partObject["text"]));
                            break;
                        case "refusal":
                            refusal ??= Text(partObject["refusal"]);
                            break;
                    }
                }

                return joined?.ToString() ?? refusal;
            default:
                return null;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    /// <summary>The request as the caller's thread left it: the body's bytes, read on the writer.</summary>
    private sealed class Snapshot(ReadOnlyMemory<byte> body) : CallRequest
    {
        public override long SnapshotLength => body.Length;

        /// <summary>The token of the call's request options: a stream that ends once it is cancelled was cancelled.</summary>
        public CancellationToken CancellationToken { get; init; }

        public override bool IsSnapshot => true;

        public override CallRequest ReadSnapshot() => OpenAIResponsesReader.ReadSnapshot(body, Stream);
    }

    /// <summary>
    /// The events of one streamed response: the final response object when the stream delivered it, otherwise what the
    /// deltas carried until the stream ended.
    /// </summary>
    private sealed class StreamAssembly
    {
        private readonly StringBuilder _text = new();
        private readonly List<(string ItemId, string? CallId, string? Name, StringBuilder Arguments)> _calls = [];
        private JsonObject? _final;
        private string? _model;

        /// <summary>Notes one event; returns whether it carried content (a text delta or a function call).</summary>
        public bool Observe(byte[] payload)
        {
            if (JsonNode.Parse(payload) is not JsonObject data)
            {
                return false;
            }

            switch (Text(data["type"]))
            {
                case "response.created" or "response.in_progress":
                    _model ??= Text((data["response"] as JsonObject)?["model"]);
                    return false;
                case "response.completed" or "response.incomplete" or "response.failed":
                    _final = data["response"] as JsonObject;
                    return false;
                case "response.output_text.delta" or "response.refusal.delta":
                    var delta = Text(data["delta"]);
                    _text.Append(delta);
                    return !string.IsNullOrEmpty(delta);
                case "response.output_item.added" when data["item"] is JsonObject { } item && Text(item["type"]) == "function_call":
                    _calls.Add((Text(item["id"]) ?? string.Empty, Text(item["call_id"]), Text(item["name"]), new StringBuilder(Text(item["arguments"]))));
                    return true;
                case "response.function_call_arguments.delta":
                    var itemId = Text(data["item_id"]);
                    _calls.Find(c => c.ItemId == itemId).Arguments?.Append(Text(data["delta"]));
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Whether the stream's final event (completed, incomplete or failed) was among the events.</summary>
        public bool ReachedItsEnd => _final is not null;

        public void Finish(CallOutcome outcome)
        {
            if (_final is not null)
            {
                ReadResponse(_final, outcome);
                return;
            }

            outcome.ResponseModel = _model;
            if (_text.Length == 0 && _calls.Count == 0)
            {
                return;
            }

            CapturedToolCall[]? toolCalls = _calls.Count == 0
                ? null
                : [.. _calls.Select(static c => new CapturedToolCall(c.CallId, c.Name ?? string.Empty, c.Arguments.ToString()))];
            outcome.Completions = [new CapturedCompletion("assistant", _text.Length > 0 ? _text.ToString() : null, null, toolCalls)];
        }
    }
}
