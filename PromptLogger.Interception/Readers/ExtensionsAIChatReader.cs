using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using PromptLogging.Interception.Adapters;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Conventions;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Reads Microsoft.Extensions.AI's <see cref="IChatClient"/> (<c>GetResponseAsync</c>,
/// <c>GetStreamingResponseAsync</c>): messages with their roles, tool calls and tool results; <see cref="ChatOptions"/>
/// as generation parameters under the names the provider receives on the wire (see
/// <see cref="ExtensionsAIGenerationKwargs"/>: OpenAI's bridge → what it sends, others → the Chat Completions names); the
/// provider from <see cref="ChatClientMetadata"/>, looked up once per client on the background writer; and the model
/// from the response, else the options, else the metadata. An object it cannot serialize (an additional property,
/// a tool argument or a tool result that is a stream, a delegate, a cycle, a type whose getter throws) is recorded by its
/// type name.
/// </summary>
internal sealed class ExtensionsAIChatReader : CallReader
{
    // Microsoft.Extensions.AI's own serializer settings (they know its content types), but one line, as on the wire.
    private static readonly JsonSerializerOptions Compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private const string SystemFingerprintKey = "SystemFingerprint";
    private const string SystemFingerprintTag = "openai.response.system_fingerprint";

    private readonly int _optionsIndex;

    private ExtensionsAIChatReader(int optionsIndex) => _optionsIndex = optionsIndex;

    public override CallKind Kind => CallKind.Chat;

    /// <summary>A reader for a method whose first parameter is Microsoft.Extensions.AI messages and whose result is a response or its updates.</summary>
    public static CallReader? TryCreate(ParameterInfo[] parameters, ReturnShape shape, Type itemType)
    {
        if (parameters.Length == 0 || parameters[0].ParameterType != typeof(IEnumerable<ChatMessage>))
        {
            return null;
        }

        var readable = shape.IsStream() ? itemType == typeof(ChatResponseUpdate) : itemType == typeof(ChatResponse);
        return readable
            ? new ExtensionsAIChatReader(Array.FindIndex(parameters, static p => p.ParameterType == typeof(ChatOptions)))
            : null;
    }

    public override CallRequest ReadRequest(ProxiedClient client, object?[] arguments)
    {
        var messages = arguments[0] as IEnumerable<ChatMessage>;
        var request = TakeSnapshot(client, ref messages, _optionsIndex >= 0 ? arguments[_optionsIndex] as ChatOptions : null);
        arguments[0] = messages;
        return request;
    }

    /// <summary>
    /// Starts recording a call made through a middleware's own <c>GetResponseAsync</c> or
    /// <c>GetStreamingResponseAsync</c>, with no argument array to go through. Never throws. A lazy
    /// <paramref name="messages"/> is replaced with the array read from it, which the call is to send.
    /// </summary>
    public static CapturedCall Begin(ProxiedClient client, ChatMethodPlan plan, ref IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var timer = CallTimer.Start();
        CallRequest request;
        try
        {
            IEnumerable<ChatMessage>? read = messages;
            request = TakeSnapshot(client, ref read, options);
            messages = read ?? messages;
        }
#pragma warning disable CA1031 // A request PromptLogger cannot read must not fail the call: record what can be read.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            client.ReportFailure(exception);
            request = client.FallbackRequest(plan, []);
        }

        return CapturedCall.Begin(client, plan, request, timer);
    }

    // On the caller's thread only a snapshot: the message list copied (references), the options shallow-copied (a
    // reused options object may change after the call); the background writer reads them, and looks up the client's
    // metadata (once per client) there too.
    private static Snapshot TakeSnapshot(ProxiedClient client, ref IEnumerable<ChatMessage>? messages, ChatOptions? options)
    {
        var copy = options is null ? null : (ChatOptions)ShallowCopy.Of(options);
        return new Snapshot(client, SnapshotMessages(ref messages), copy)
        {
            Kind = CallKind.Chat,
            Model = copy?.ModelId,
        };
    }

    /// <summary>The request as the caller's thread left it: one object, read on the writer.</summary>
    private sealed class Snapshot(ProxiedClient client, ChatMessage[] messages, ChatOptions? options) : CallRequest
    {
        public override bool IsSnapshot => true;

        public override long SnapshotLength => TextLength(messages) + (options?.Instructions?.Length ?? 0);

        public override CallRequest ReadSnapshot() => ExtensionsAIChatReader.ReadSnapshot(client, messages, options);
    }

    private static CallRequest ReadSnapshot(ProxiedClient client, ChatMessage[] snapshot, ChatOptions? options)
    {
        var facts = FactsOf(client);
        var messages = ReadMessages(snapshot, options?.Instructions);
        JsonObject? kwargs = null;
        CapturedTool[] tools = [];
        try
        {
            tools = ReadTools(options?.Tools);
            kwargs = ExtensionsAIGenerationKwargs.Read(options, facts.ProviderReader, ToNode);
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
            Model = options?.ModelId ?? facts.DefaultModel,
            Provider = facts.Provider,
            Messages = messages,
            Tools = tools,
            GenerationKwargs = kwargs,
            ConversationId = options?.ConversationId,
        };
    }

    public override CallRequest FallbackRequest(ProxiedClient client, object?[] arguments)
    {
        var facts = FactsOf(client);
        return new CallRequest { Kind = CallKind.Chat, Model = facts.DefaultModel, Provider = facts.Provider };
    }

    public override long RetainedLength(object? retained) => retained is ChatResponse response ? TextLength(response.Messages) : 0;

    public override void ReadResult(object? result, CallOutcome outcome)
    {
        if (result is ChatResponse response)
        {
            ReadResponse(response, outcome);
        }
    }

    public override StreamObserver<T> CreateStreamObserver<T>() =>
        typeof(T) == typeof(ChatResponseUpdate)
            ? (StreamObserver<T>)(object)new UpdateCollector()
            : new IgnoringStreamObserver<T>();

    private static void ReadResponse(ChatResponse response, CallOutcome outcome)
    {
        // The model recorded stays the one asked for (as the Python prompt-logger package records it); the response's is what answered.
        outcome.ResponseModel = response.ModelId;
        outcome.ResponseId = response.ResponseId;
        outcome.SystemFingerprint = SystemFingerprintOf(response.RawRepresentation, response.AdditionalProperties);
        if (response.Usage is { } usage)
        {
            outcome.Usage = UsageOf(usage);
        }

        if (response.Messages.Count == 0)
        {
            return;
        }

        List<CapturedToolCall>? toolCalls = null;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    (toolCalls ??= []).Add(ToolCallOf(call));
                }
            }
        }

        var text = response.Text;
        outcome.Completions =
        [
            new CapturedCompletion(
                response.Messages[^1].Role.Value,
                string.IsNullOrEmpty(text) ? null : text,
                response.FinishReason?.Value,
                toolCalls),
        ];
    }

    /// <summary>The counts of a Microsoft.Extensions.AI usage, with the cached prompt and reasoning tokens where reported.</summary>
    internal static CapturedUsage UsageOf(UsageDetails usage) =>
        new(usage.InputTokenCount, usage.OutputTokenCount, usage.CachedInputTokenCount, usage.ReasoningTokenCount);

    // Microsoft.Extensions.AI's OpenAI client keeps the SDK's own reply (or update) as the raw representation, which
    // its family's adapter reads; other clients may put the fingerprint among the additional properties.
    private static string? SystemFingerprintOf(object? raw, AdditionalPropertiesDictionary? properties) => raw switch
    {
        not null when ClientAdapters.For(raw.GetType().Assembly)?.SystemFingerprintOf(raw) is { Length: > 0 } fingerprint => fingerprint,
        _ when properties is not null && (properties.TryGetValue(SystemFingerprintKey, out var value) || properties.TryGetValue(SystemFingerprintTag, out value)) => value as string,
        _ => null,
    };

    // The metadata does not change during a client's life: look it up once per proxy (the middleware keeps one proxy),
    // on the writer except for a call whose request could not be read at all.
    private static ClientFacts FactsOf(ProxiedClient client)
    {
        if (client.Description is ClientFacts facts)
        {
            return facts;
        }

        ChatClientMetadata? metadata = null;
        try
        {
            metadata = (client.Target as IChatClient)?.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
        }
#pragma warning disable CA1031 // A client whose GetService throws is recorded without a provider, under the Chat Completions names.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            client.ReportFailure(exception);
        }

        Func<ChatOptions, JsonObject?>? providerReader = null;
        try
        {
            providerReader = ExtensionsAIGenerationKwargs.ProviderReaderOf(client.Target as IChatClient, metadata?.ProviderName);
        }
#pragma warning disable CA1031 // Same as above: recorded under the Chat Completions names.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            client.ReportFailure(exception);
        }

        facts = new ClientFacts(metadata?.ProviderName, metadata?.DefaultModelId, providerReader);
        client.Description = facts;
        return facts;
    }

    // The text of the messages (text contents and function call results written as text), by length only.
    private static long TextLength(IList<ChatMessage> messages)
    {
        long length = 0;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                length += content switch
                {
                    TextContent text => text.Text?.Length ?? 0,
                    FunctionResultContent { Result: string result } => result.Length,
                    _ => 0,
                };
            }
        }

        return length;
    }

    private static ChatMessage[] SnapshotMessages(ref IEnumerable<ChatMessage>? messages)
    {
        if (messages is not { } source)
        {
            return [];
        }

        if (source is ICollection<ChatMessage> or IReadOnlyCollection<ChatMessage>)
        {
            return [.. source];
        }

        // A lazy sequence is read once, here, and what was read passed on, so that it does not run twice.
        var snapshot = LazySequence.Read(source, out var toSend);
        messages = toSend;
        return snapshot;
    }

    private static List<CapturedMessage> ReadMessages(ChatMessage[] source, string? instructions)
    {
        var captured = new List<CapturedMessage>();

        // Instructions go first, as a system message: what OpenAI's bridge sends, and the Chat Completions form.
        if (!string.IsNullOrWhiteSpace(instructions))
        {
            captured.Add(new CapturedMessage("system", instructions));
        }

        foreach (var message in source)
        {
            if (message is null)
            {
                continue;
            }

            List<CapturedToolCall>? toolCalls = null;
            var hadToolResult = false;
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case FunctionCallContent call:
                        (toolCalls ??= []).Add(ToolCallOf(call));
                        break;
                    case FunctionResultContent result:
                        // On the wire every tool result is a message of its own.
                        captured.Add(new CapturedMessage("tool", ResultText(result.Result), result.CallId));
                        hadToolResult = true;
                        break;
                }
            }

            var text = message.Text;
            if (!hadToolResult || !string.IsNullOrEmpty(text) || toolCalls is not null)
            {
                captured.Add(new CapturedMessage(message.Role.Value, string.IsNullOrEmpty(text) ? null : text, ToolCalls: toolCalls));
            }
        }

        return captured;
    }

    private static CapturedToolCall ToolCallOf(FunctionCallContent call) =>
        new(call.CallId, call.Name, call.Arguments is null ? null : SerializeArguments(call.Arguments));

    private static string? ResultText(object? result) => result switch
    {
        null => null,
        string text => text,
        JsonElement element => element.GetRawText(),
        _ => TrySerialize(result, out var json) ? json : TypeNameOf(result),
    };

    // Arguments one of which cannot be serialized keep the others: only that value is replaced by its type name.
    private static string SerializeArguments(IDictionary<string, object?> arguments)
    {
        if (TrySerialize(arguments, out var json))
        {
            return json;
        }

        var node = new JsonObject();
        foreach (var (name, value) in arguments)
        {
            node[name] = ToNode(value);
        }

        return node.ToJsonString(Compact);
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        _ when TrySerialize(value, out var json) => JsonNode.Parse(json),
        _ => JsonValue.Create(TypeNameOf(value)),
    };

    /// <summary>
    /// Serializes an object from the caller's request. Such objects can be anything: a stream, a delegate, a type with
    /// a getter that throws, a cycle. What cannot be serialized is recorded by its type name, never thrown.
    /// </summary>
    private static bool TrySerialize(object value, out string json)
    {
        try
        {
            json = JsonSerializer.Serialize(value, Compact.GetTypeInfo(value.GetType()));
            return true;
        }
#pragma warning disable CA1031 // A property getter of the caller's object may throw anything; the value is recorded by type name instead.
        catch (Exception)
#pragma warning restore CA1031
        {
            json = string.Empty;
            return false;
        }
    }

    private static string TypeNameOf(object value) => value.GetType().ToString();

    private static CapturedTool[] ReadTools(IList<AITool>? tools)
    {
        if (tools is not { Count: > 0 })
        {
            return [];
        }

        var captured = new List<CapturedTool>(tools.Count);
        foreach (var tool in tools)
        {
            switch (tool)
            {
                case AIFunctionDeclaration function:
                    captured.Add(new CapturedTool(
                        function.Name,
                        function.Description,
                        function.JsonSchema.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(function.JsonSchema.GetRawText())));
                    break;
                case null:
                    break;
                default:
                    captured.Add(new CapturedTool(tool.Name, tool.Description, Type: "hosted"));
                    break;
            }
        }

        return [.. captured];
    }

    private sealed record ClientFacts(string? Provider, string? DefaultModel, Func<ChatOptions, JsonObject?>? ProviderReader);

    /// <summary>Keeps the updates as they pass (it does not hold them back) and merges them when the stream ends.</summary>
    private sealed class UpdateCollector : StreamObserver<ChatResponseUpdate>
    {
        private readonly List<ChatResponseUpdate> _updates = [];

        // Once content was seen, only the time to the first of it matters: later updates are not looked into.
        private bool _sawContent;

        public override bool Observe(ChatResponseUpdate update)
        {
            _updates.Add(update);
            if (_sawContent)
            {
                return true;
            }

            foreach (var content in update.Contents)
            {
                if (content is TextContent { Text.Length: > 0 } or FunctionCallContent)
                {
                    return _sawContent = true;
                }
            }

            return false;
        }

        public override void Finish(CallOutcome outcome)
        {
            if (_updates.Count > 0)
            {
                ReadResponse(_updates.ToChatResponse(), outcome);
                foreach (var update in _updates)
                {
                    if (outcome.SystemFingerprint is not null)
                    {
                        break;
                    }

                    outcome.SystemFingerprint = SystemFingerprintOf(update.RawRepresentation, update.AdditionalProperties);
                }
            }
        }
    }
}
