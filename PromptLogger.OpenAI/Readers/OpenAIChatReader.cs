using System.ClientModel;
using System.ClientModel.Primitives;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Reads the OpenAI .NET SDK's <see cref="ChatClient"/> chat methods (<c>CompleteChat[Async]</c>,
/// <c>CompleteChatStreaming[Async]</c>, both overloads): the messages by their subclass, the options through their
/// own wire JSON, the model from the client, and <see cref="ChatCompletion"/>s or streamed updates.
/// </summary>
internal sealed class OpenAIChatReader : CallReader
{
    public const string Provider = "openai";

    // Wire fields of the request that are recorded elsewhere (or not request parameters at all).
    internal static readonly string[] NotGenerationKwargs = ["messages", "model", "stream", "stream_options", "tools"];

    // Put in place of the messages on an options copy, only enumerated by its serializer: one serves every copy.
    private static readonly IList<ChatMessage> NoMessages = Array.Empty<ChatMessage>();

    private readonly int _optionsIndex;

    private OpenAIChatReader(int optionsIndex) => _optionsIndex = optionsIndex;

    public override CallKind Kind => CallKind.Chat;

    /// <summary>A reader for a method whose first parameter is OpenAI messages and whose result is a completion or its updates.</summary>
    public static CallReader? TryCreate(ParameterInfo[] parameters, ReturnShape shape, Type itemType)
    {
        if (parameters.Length == 0)
        {
            return null;
        }

        var messages = parameters[0].ParameterType;
        if (messages != typeof(IEnumerable<ChatMessage>) && messages != typeof(ChatMessage[]))
        {
            return null;
        }

        var readable = shape.IsStream()
            ? itemType == typeof(StreamingChatCompletionUpdate)
            : itemType == typeof(ClientResult<ChatCompletion>) || itemType == typeof(ChatCompletion);
        if (!readable)
        {
            return null;
        }

        return new OpenAIChatReader(Array.FindIndex(parameters, static p => p.ParameterType == typeof(ChatCompletionOptions)));
    }

    public override CallRequest ReadRequest(ProxiedClient client, object?[] arguments)
    {
        // On the caller's thread only a snapshot: the message list copied (references), the options shallow-copied
        // (a reused options object may change, and the SDK itself sets their messages and model during the call).
        var messages = SnapshotMessages(arguments);
        var options = _optionsIndex >= 0 && arguments[_optionsIndex] is ChatCompletionOptions given
            ? (ChatCompletionOptions)ShallowCopy.Of(given)
            : null;
        return new Snapshot(client, messages, options)
        {
            Kind = CallKind.Chat,
            Model = ModelOf(client.Target),
            Provider = Provider,
        };
    }

    private static CallRequest ReadSnapshot(ProxiedClient client, ChatMessage[] messages, ChatCompletionOptions? options)
    {
        byte[]? kwargs = null;
        CapturedTool[] tools = [];
        try
        {
            (kwargs, tools) = ReadOptionsJson(options);
        }
#pragma warning disable CA1031 // Unreadable options must not cost the messages: record the call without them.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            client.ReportFailure(exception);
        }

        return new CallRequest
        {
            Kind = CallKind.Chat,
            Model = ModelOf(client.Target),
            Provider = Provider,
            Messages = ReadMessages(messages),
            Tools = tools,
            GenerationKwargsJson = kwargs,
            UserId = options?.EndUserId,
        };
    }

    /// <summary>The request as the caller's thread left it: one object, read on the writer.</summary>
    private sealed class Snapshot(ProxiedClient client, ChatMessage[] messages, ChatCompletionOptions? options) : CallRequest
    {
        public override bool IsSnapshot => true;

        public override long SnapshotLength => TextLength(messages);

        public override CallRequest ReadSnapshot() => OpenAIChatReader.ReadSnapshot(client, messages, options);
    }

    public override CallRequest FallbackRequest(ProxiedClient client, object?[] arguments) =>
        new() { Kind = CallKind.Chat, Model = ModelOf(client.Target), Provider = Provider };

    // A parsed ChatCompletion is a graph of kilobytes that would wait in the queue and be promoted by the GC. The raw
    // reply the response buffered is one array, allocated already: keep that, and parse it on the writer (as a protocol
    // call's reply is). A result with no such body (built by hand, not read from the wire) is read here instead.
    public override object? Retain(object? result) =>
        result is ClientResult<ChatCompletion> clientResult && OpenAIProtocol.RetainBody(clientResult) is { IsEmpty: false } body
            ? body
            : ReadOutcome(result);

    public override long RetainedLength(object? retained) => retained is BinaryData body ? body.Length : 0;

    public override void ReadResult(object? result, CallOutcome outcome)
    {
        if (result is BinaryData body)
        {
            OpenAIProtocolChatReader.ReadReply(body.ToMemory(), outcome, out _);
            return;
        }

        if (result is CallOutcome read)
        {
            outcome.ResponseModel = read.ResponseModel;
            outcome.Completions = read.Completions;
            outcome.Usage = read.Usage;
            outcome.ResponseId = read.ResponseId;
            outcome.SystemFingerprint = read.SystemFingerprint;
            return;
        }

        var completion = result switch
        {
            ClientResult<ChatCompletion> clientResult => clientResult.Value,
            ChatCompletion value => value,
            _ => null,
        };
        if (completion is not null)
        {
            ReadCompletion(completion, outcome);
        }
    }

    /// <summary>Reads one <see cref="ChatCompletion"/> into <paramref name="outcome"/>: what answered, its message and its usage.</summary>
    internal static void ReadCompletion(ChatCompletion completion, CallOutcome outcome)
    {
        outcome.ResponseModel = completion.Model;
        outcome.ResponseId = completion.Id;
        outcome.SystemFingerprint = completion.SystemFingerprint;
        outcome.Completions =
        [
            new CapturedCompletion(
                RoleName(completion.Role),
                TextOf(completion.Content) ?? completion.Refusal,
                FinishReasonName(completion.FinishReason),
                ToolCallsOf(completion.ToolCalls)),
        ];
        if (completion.Usage is { } usage)
        {
            outcome.Usage = UsageOf(usage);
        }
    }

    /// <summary>The counts of a Chat Completions usage, with the cached prompt and reasoning tokens where reported.</summary>
    internal static CapturedUsage UsageOf(ChatTokenUsage usage) => new(
        usage.InputTokenCount,
        usage.OutputTokenCount,
        usage.InputTokenDetails?.CachedTokenCount,
        usage.OutputTokenDetails?.ReasoningTokenCount);

    public override StreamObserver<T> CreateStreamObserver<T>() =>
        typeof(T) == typeof(StreamingChatCompletionUpdate)
            ? (StreamObserver<T>)(object)new OpenAIStreamObserver()
            : new IgnoringStreamObserver<T>();

    private static string? ModelOf(object target) => (target as ChatClient)?.Model;

    // The text of the messages (text parts, tool call arguments), by length only.
    private static long TextLength(ChatMessage[] messages)
    {
        long length = 0;
        foreach (var message in messages)
        {
            foreach (var part in message?.Content ?? [])
            {
                length += part.Kind == ChatMessageContentPartKind.Text ? part.Text?.Length ?? 0 : 0;
            }

            if (message is AssistantChatMessage { ToolCalls: { } calls })
            {
                foreach (var call in calls)
                {
                    length += call.FunctionArguments?.ToMemory().Length ?? 0;
                }
            }
        }

        return length;
    }

    private static ChatMessage[] SnapshotMessages(object?[] arguments)
    {
        switch (arguments[0])
        {
            case ChatMessage[] array:
                return [.. array];
            case ICollection<ChatMessage> or IReadOnlyCollection<ChatMessage>:
                return [.. (IEnumerable<ChatMessage>)arguments[0]!];
            case IEnumerable<ChatMessage> lazy:
                // A lazy sequence is read once, here, and what was read passed on, so the SDK does not run it again.
                var materialized = LazySequence.Read(lazy, out var toSend);
                arguments[0] = toSend;
                return materialized;
            default:
                return [];
        }
    }

    internal static CapturedMessage[] ReadMessages(ChatMessage[] messages)
    {
        var captured = new CapturedMessage[messages.Length];
        for (var i = 0; i < messages.Length; i++)
        {
            captured[i] = ReadMessage(messages[i]);
        }

        return captured;
    }

    internal static CapturedMessage ReadMessage(ChatMessage message) => message switch
    {
        SystemChatMessage => new CapturedMessage("system", TextOf(message.Content)),
        DeveloperChatMessage => new CapturedMessage("developer", TextOf(message.Content)),
        UserChatMessage => new CapturedMessage("user", TextOf(message.Content)),
        AssistantChatMessage assistant => new CapturedMessage(
            "assistant", TextOf(message.Content) ?? assistant.Refusal, ToolCalls: ToolCallsOf(assistant.ToolCalls)),
        ToolChatMessage tool => new CapturedMessage("tool", TextOf(message.Content), tool.ToolCallId),
        null => new CapturedMessage("user", null),
        _ => ReadUnknownMessage(message),
    };

    // A message subclass this version does not know (the role itself is internal): take it from the wire JSON.
    private static CapturedMessage ReadUnknownMessage(ChatMessage message)
    {
        var json = JsonNode.Parse(ModelReaderWriter.Write(message).ToMemory().Span) as JsonObject;
        var role = json?["role"]?.GetValue<string>() ?? "user";
        return new CapturedMessage(role, TextOf(message.Content));
    }

    /// <summary>The options' generation parameters and tools, from the options' own wire JSON.</summary>
    internal static (JsonObject? Kwargs, CapturedTool[] Tools) ReadOptions(ChatCompletionOptions? options)
    {
        if (options is null)
        {
            return (null, []);
        }

        // The options' own serializer gives exactly the wire names the SDK sends (max_completion_tokens, top_p, …).
        // A reused options object still holds the messages the SDK put in it during its last call: on this copy
        // (never the caller's object), leave them out rather than serialize them only to drop them.
        LeaveOutMessages(options);
        if (JsonNode.Parse(ModelReaderWriter.Write(options).ToMemory().Span) is not JsonObject wire)
        {
            return (null, []);
        }

        var tools = wire["tools"] is JsonArray toolArray ? ReadTools(toolArray) : [];
        foreach (var name in NotGenerationKwargs)
        {
            wire.Remove(name);
        }

        return (wire.Count > 0 ? wire : null, tools);
    }

    /// <summary>
    /// As <see cref="ReadOptions"/>, the generation parameters as JSON (see <see cref="CallRequest.GenerationKwargsJson"/>):
    /// the writer's path, which stores them without building the options' JSON as a DOM.
    /// </summary>
    internal static (byte[]? Kwargs, CapturedTool[] Tools) ReadOptionsJson(ChatCompletionOptions? options)
    {
        if (options is null)
        {
            return (null, []);
        }

        LeaveOutMessages(options);
        var kwargs = OpenAIWireKwargs.Without(OpenAIWireKwargs.WireOf(options), NotGenerationKwargs, out var toolsJson);
        var tools = !toolsJson.IsEmpty && JsonNode.Parse(toolsJson) is JsonArray toolArray ? ReadTools(toolArray) : [];
        return (kwargs, tools);
    }

    private static void LeaveOutMessages(ChatCompletionOptions copy)
    {
        try
        {
            SetMessages(copy, NoMessages);
        }
        catch (MissingMethodException)
        {
            // Another SDK version: the messages are serialized and dropped, as before.
        }
    }

    // The SDK's own (internal) setter of the request's messages: the options carry them on the wire.
    [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Method, Name = "set_Messages")]
    private static extern void SetMessages(ChatCompletionOptions options, IList<ChatMessage> messages);

    internal static CapturedTool[] ReadTools(JsonArray tools)
    {
        var captured = new List<CapturedTool>(tools.Count);
        foreach (var tool in tools)
        {
            if (tool is not JsonObject toolObject || toolObject["function"] is not JsonObject function)
            {
                continue;
            }

            var name = function["name"]?.GetValue<string>();
            if (name is null)
            {
                continue;
            }

            captured.Add(new CapturedTool(
                name,
                function["description"]?.GetValue<string>(),
                function["parameters"]?.DeepClone(),
                toolObject["type"]?.GetValue<string>() ?? "function"));
        }

        return [.. captured];
    }

    internal static string? TextOf(ChatMessageContent? content)
    {
        if (content is null || content.Count == 0)
        {
            return null;
        }

        if (content.Count == 1)
        {
            return content[0].Kind == ChatMessageContentPartKind.Text ? content[0].Text : null;
        }

        StringBuilder? text = null;
        foreach (var part in content)
        {
            if (part.Kind == ChatMessageContentPartKind.Text)
            {
                (text ??= new StringBuilder()).Append(part.Text);
            }
        }

        return text?.ToString();
    }

    private static List<CapturedToolCall>? ToolCallsOf(IEnumerable<ChatToolCall>? toolCalls)
    {
        List<CapturedToolCall>? captured = null;
        foreach (var call in toolCalls ?? [])
        {
            (captured ??= []).Add(new CapturedToolCall(call.Id, call.FunctionName, call.FunctionArguments?.ToString()));
        }

        return captured;
    }

    internal static string RoleName(ChatMessageRole role) => role switch
    {
        ChatMessageRole.System => "system",
        ChatMessageRole.Developer => "developer",
        ChatMessageRole.User => "user",
        ChatMessageRole.Assistant => "assistant",
        ChatMessageRole.Tool => "tool",
#pragma warning disable CS0618 // The deprecated function role still has a wire name.
        ChatMessageRole.Function => "function",
#pragma warning restore CS0618
        _ => role.ToString().ToLowerInvariant(),
    };

    internal static string? FinishReasonName(ChatFinishReason? reason) => reason switch
    {
        null => null,
        ChatFinishReason.Stop => "stop",
        ChatFinishReason.Length => "length",
        ChatFinishReason.ToolCalls => "tool_calls",
        ChatFinishReason.ContentFilter => "content_filter",
#pragma warning disable CS0618 // The deprecated function-call reason still has a wire name.
        ChatFinishReason.FunctionCall => "function_call",
#pragma warning restore CS0618
        _ => reason.Value.ToString().ToLowerInvariant(),
    };
}
