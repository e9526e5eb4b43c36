using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Json;
using PromptLogging.Storage;

namespace PromptLogging.Recording;

/// <summary>
/// Turns a <see cref="CapturedCall"/> into a <see cref="PromptRecord"/>: JSON columns serialized in the export
/// shape as UTF-8 (empties left out), text passed through the <see cref="ContentPolicy"/>, times as epoch seconds.
/// Runs on the background writer, not on the caller's thread.
/// </summary>
/// <remarks>Not thread-safe: it reuses one JSON buffer.</remarks>
internal sealed class PromptRecordFactory : IDisposable
{
    private readonly string _defaultNamespace;
    private readonly ContentPolicy _policy;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;

    public PromptRecordFactory(string defaultNamespace, ContentPolicy policy)
    {
        _defaultNamespace = defaultNamespace;
        _policy = policy;
        _writer = new Utf8JsonWriter(_buffer, JsonDefaults.Writer);
    }

    public PromptRecord Create(CapturedCall call)
    {
        // What interception left unread on the caller's thread is read here, on the writer.
        var request = call.ReadRequest();
        var outcome = call.ReadOutcome();
        var isText = request.Kind == CallKind.Text;
        var defaultNamespace = _defaultNamespace;
        var timeToFirstToken = call.TimeToFirstTokenSeconds ?? outcome?.TimeToFirstTokenSeconds;
        var context = call.Context;
        var usage = outcome?.Usage;
        return new PromptRecord
        {
            Id = TimeOrderedId.New(call.StartedAt).ToString(),
            Namespace = string.IsNullOrEmpty(call.Namespace) ? defaultNamespace : call.Namespace,
            Kind = isText ? PromptRecord.TextKind : PromptRecord.ChatKind,
            Model = NullIfEmpty(request.Model ?? outcome?.ResponseModel),
            Provider = NullIfEmpty(request.Provider),
            Messages = isText ? null : Serialize(request.Messages, WriteMessages),
            Tools = isText ? null : Serialize(request.Tools, WriteTools),
            GenerationKwargs = GenerationKwargsOf(request, call),
            Completions = isText || outcome is null ? null : Serialize(outcome.Completions, WriteCompletions),
            Prompt = _policy.Content(request.Prompt),
            Response = _policy.Content(outcome?.Response),
            InputTokens = usage?.InputTokens,
            OutputTokens = usage?.OutputTokens,
            CachedInputTokens = usage?.CachedInputTokens,
            ReasoningTokens = usage?.ReasoningTokens,
            Error = NullIfEmpty(_policy.Error(call.Error)),
            Stream = call.Stream,
            TimeToFirstTokenSeconds = timeToFirstToken is { } ttft ? Math.Round(ttft, 6) : null,
            InferenceOn = EpochSeconds(call.StartedAt),
            InferenceSeconds = call.Duration is { } duration ? Math.Round(duration.TotalSeconds, 6) : null,
            Tags = context is null ? null : Serialize(context.Tags, WriteTags),
            Metadata = context is { Metadata.Count: > 0 } ? Write(context.Metadata, WriteMetadata) : null,
            // What the call itself names wins over its scope's (ChatOptions.ConversationId, OpenAI's user).
            ConversationId = NullIfEmpty(request.ConversationId) ?? context?.ConversationId,
            UserId = NullIfEmpty(request.UserId) ?? context?.UserId,
            ReplayOf = context?.ReplayOf,
            ResponseModel = NullIfEmpty(outcome?.ResponseModel),
            ResponseId = NullIfEmpty(outcome?.ResponseId),
            SystemFingerprint = NullIfEmpty(outcome?.SystemFingerprint),
            StreamEnd = call.Stream ? StreamEndName(call.EndOf(outcome)) : null,
        };
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>Unix epoch seconds with microsecond precision, as the Python prompt-logger package stores them.</summary>
    private static double EpochSeconds(DateTimeOffset time) =>
        Math.Round((time - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond, 6);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The stored (and exported) name of how a stream ended.</summary>
    private static string StreamEndName(StreamEnd end) => end switch
    {
        Interception.StreamEnd.Abandoned => "abandoned",
        Interception.StreamEnd.Cancelled => "cancelled",
        Interception.StreamEnd.Failed => "failed",
        _ => "completed",
    };

    private byte[]? Serialize<T>(IReadOnlyList<T> items, Action<Utf8JsonWriter, IReadOnlyList<T>> write) =>
        items.Count == 0 ? null : Write(items, write);

    private byte[] Serialize(JsonObject node) => Write(node, static (writer, value) => value.WriteTo(writer));

    // A reader's JSON object is written as its JsonObject would be (JsonNode.Parse then WriteTo writes each value
    // through JsonElement.WriteTo, as here): same property order, number text and string escaping, without the DOM.
    private byte[]? GenerationKwargsOf(CallRequest request, CapturedCall call)
    {
        if (request.GenerationKwargs is { Count: > 0 } kwargs)
        {
            return Serialize(kwargs);
        }

        if (request.GenerationKwargsJson.IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(request.GenerationKwargsJson);
            return document.RootElement is { ValueKind: JsonValueKind.Object } root && root.GetPropertyCount() > 0
                ? Write(root, static (writer, value) => value.WriteTo(writer))
                : null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException)
        {
            // Unreadable parameters must not cost the call: it is stored without them, and the failure reported.
            call.ReportFailure(exception);
            return null;
        }
    }

    // Through the one reused writer and buffer (JsonNode.ToJsonString would set up a writer of its own each time);
    // the UTF-8 the writer produced is what is stored, bound and exported, never decoded into a string.
    private byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        write(_writer, state);
        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    private void WriteMessages(Utf8JsonWriter writer, IReadOnlyList<CapturedMessage> messages)
    {
        writer.WriteStartArray();
        foreach (var message in messages)
        {
            writer.WriteStartObject();
            writer.WriteStringIfAny("role", message.Role);
            writer.WriteStringIfAny("content", _policy.Content(message.Content));
            writer.WriteStringIfAny("tool_call_id", message.ToolCallId);
            WriteToolCalls(writer, message.ToolCalls);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private void WriteCompletions(Utf8JsonWriter writer, IReadOnlyList<CapturedCompletion> completions)
    {
        writer.WriteStartArray();
        foreach (var completion in completions)
        {
            writer.WriteStartObject();
            writer.WriteStringIfAny("role", completion.Role);
            writer.WriteStringIfAny("content", _policy.Content(completion.Content));
            writer.WriteStringIfAny("finish_reason", completion.FinishReason);
            WriteToolCalls(writer, completion.ToolCalls);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private void WriteToolCalls(Utf8JsonWriter writer, IReadOnlyList<CapturedToolCall>? toolCalls)
    {
        if (toolCalls is not { Count: > 0 })
        {
            return;
        }

        writer.WriteStartArray("tool_calls");
        foreach (var call in toolCalls)
        {
            writer.WriteStartObject();
            writer.WriteStringIfAny("id", call.Id);
            writer.WriteString("type", call.Type);
            writer.WriteStartObject("function");
            writer.WriteString("name", call.Name);
            if (_policy.StoreContent)
            {
                writer.WriteString("arguments", _policy.Filter(call.Arguments) ?? string.Empty);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteMetadata(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> metadata)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in metadata)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter writer, IReadOnlyList<string> tags)
    {
        writer.WriteStartArray();
        foreach (var tag in tags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
    }

    private void WriteTools(Utf8JsonWriter writer, IReadOnlyList<CapturedTool> tools)
    {
        writer.WriteStartArray();
        foreach (var tool in tools)
        {
            writer.WriteStartObject();
            writer.WriteString("type", tool.Type);
            writer.WriteStartObject("function");
            writer.WriteString("name", tool.Name);
            writer.WriteStringIfAny("description", tool.Description);
            if (tool.Parameters is not null)
            {
                writer.WritePropertyName("parameters");
                tool.Parameters.WriteTo(writer);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
