using System.ClientModel;
using System.ClientModel.Primitives;
using System.Reflection;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Reads the OpenAI SDK's protocol methods <c>ChatClient.CompleteChat[Async](BinaryContent, RequestOptions)</c>: the
/// request is the wire JSON body, the reply the raw HTTP response. Direct protocol calls and Microsoft.Extensions.AI's
/// <c>AsIChatClient()</c> bridge (which calls them) arrive here; the SDK's convenience methods call them on the
/// original, not on the proxy, so a call is read here or by <see cref="OpenAIChatReader"/>, never by both.
/// </summary>
/// <remarks>
/// The caller's thread only copies the request body into a buffer (the caller disposes the content after the call)
/// and keeps the buffered response body, or, for a streamed reply, copies the bytes of the server-sent events as the
/// caller reads them. The JSON is read by the background writer, through the SDK's own models, so a call records the
/// same messages, parameters and completions whichever path it took.
/// </remarks>
internal sealed class OpenAIProtocolChatReader : CallReader
{
    private static readonly OpenAIProtocolChatReader Instance = new();
    private static readonly OpenAIProtocol.ReplyReader ReadReplyFunction = ReadReply;

    public override CallKind Kind => CallKind.Chat;

    /// <summary>A reader for a <see cref="ChatClient"/> method taking <c>(BinaryContent, RequestOptions)</c> and returning a <see cref="ClientResult"/>.</summary>
    public static CallReader? TryCreate(ParameterInfo[] parameters, ReturnShape shape, Type itemType)
    {
        var protocol = OpenAIProtocol.IsProtocolMethod(parameters, shape, itemType)
                       && parameters[0].Member.DeclaringType?.IsAssignableTo(typeof(ChatClient)) == true;
        return protocol ? Instance : null;
    }

    public override CallRequest ReadRequest(ProxiedClient client, object?[] arguments)
    {
        var body = OpenAIProtocol.CopyBody(arguments[0]);
        var streamed = OpenAIProtocol.AsksForStream(arguments[1]);
        return new Snapshot(client, body)
        {
            CancellationToken = OpenAIProtocol.CancellationOf(arguments[1]),
            Kind = CallKind.Chat,
            Model = ModelOf(client.Target),
            Provider = OpenAIChatReader.Provider,
            Stream = streamed,
        };
    }

    public override CallRequest FallbackRequest(ProxiedClient client, object?[] arguments) =>
        new() { Kind = CallKind.Chat, Model = ModelOf(client.Target), Provider = OpenAIChatReader.Provider };

    /// <summary>
    /// A streamed reply is recorded when the caller has read it: its content stream is replaced by one that passes
    /// every byte through as it is read and records the call when it ends, is disposed early, or fails.
    /// </summary>
    public override bool ObservesRest(object? result, CapturedCall call) =>
        OpenAIProtocol.ObserveStream(result, call, ReadReplyFunction, (call.Request as Snapshot)?.CancellationToken ?? default);

    // The buffered body is kept as it is (the response already holds it); it is parsed on the writer.
    public override object? Retain(object? result) => OpenAIProtocol.RetainBody(result);

    public override long RetainedLength(object? retained) => retained is BinaryData body ? body.Length : 0;

    public override void ReadResult(object? result, CallOutcome outcome)
    {
        if (result is not BinaryData body || body.IsEmpty)
        {
            return;
        }

        ReadReply(body.ToMemory(), outcome, out _);
    }

    /// <summary>
    /// Reads a reply body, whichever way it came: a JSON completion, or server-sent events (a stream, or a streamed
    /// request whose reply the SDK buffered). Runs on the writer. Returns, for events, the offset just past the first
    /// that carried content; <paramref name="whole"/> tells whether the reply was complete (its closing event, or a
    /// whole JSON completion).
    /// </summary>
    internal static int? ReadReply(ReadOnlyMemory<byte> bytes, CallOutcome outcome, out bool whole)
    {
        whole = false;
        if (OpenAIProtocol.FirstNonWhiteSpace(bytes.Span) == (byte)'{')
        {
            if (OpenAIChatCompletionJson.TryRead(bytes.Span, outcome))
            {
                whole = true;
                return null;
            }

            var completion = ModelReaderWriter.Read<ChatCompletion>(BinaryData.FromBytes(bytes), ModelReaderWriterOptions.Json, OpenAIContext.Default);
            if (completion is not null)
            {
                OpenAIChatReader.ReadCompletion(completion, outcome);
                whole = true;
            }

            return null;
        }

        return OpenAIServerSentEvents.Read(bytes, outcome, out whole);
    }

    public override StreamObserver<T> CreateStreamObserver<T>() => new IgnoringStreamObserver<T>();

    private static string? ModelOf(object target) => (target as ChatClient)?.Model;

    private static CallRequest ReadSnapshot(ProxiedClient client, ReadOnlyMemory<byte> body, bool streamed)
    {
        var model = ModelOf(client.Target);
        if (JsonNode.Parse(body.Span) is not JsonObject wire)
        {
            return new CallRequest { Kind = CallKind.Chat, Model = model, Provider = OpenAIChatReader.Provider, Stream = streamed };
        }

        var messages = wire["messages"] is JsonArray messageArray ? ReadMessages(messageArray, client) : [];
        var tools = wire["tools"] is JsonArray toolArray ? OpenAIChatReader.ReadTools(toolArray) : [];
        if (wire["model"] is JsonValue modelValue && modelValue.TryGetValue<string>(out var requested))
        {
            model = requested;
        }

        var user = wire["user"] is JsonValue userValue && userValue.TryGetValue<string>(out var named) ? named : null;

        foreach (var name in OpenAIChatReader.NotGenerationKwargs)
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

    // Each message through the SDK's own model, so it is recorded as the convenience methods record it.
    private static CapturedMessage[] ReadMessages(JsonArray messages, ProxiedClient client)
    {
        var captured = new CapturedMessage[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var json = messages[i];
            try
            {
                var message = ModelReaderWriter.Read<ChatMessage>(BinaryData.FromString(json?.ToJsonString() ?? "{}"), ModelReaderWriterOptions.Json, OpenAIContext.Default);
                captured[i] = OpenAIChatReader.ReadMessage(message!);
            }
#pragma warning disable CA1031 // A message the SDK cannot read is still recorded with its role.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                client.ReportFailure(exception);
                captured[i] = new CapturedMessage((json as JsonObject)?["role"]?.ToString() ?? "user", null);
            }
        }

        return captured;
    }

    /// <summary>The request as the caller's thread left it: the body's bytes, read on the writer.</summary>
    private sealed class Snapshot(ProxiedClient client, ReadOnlyMemory<byte> body) : CallRequest
    {
        public override long SnapshotLength => body.Length;

        /// <summary>The token of the call's <see cref="RequestOptions"/>: a stream that ends once it is cancelled was cancelled.</summary>
        public CancellationToken CancellationToken { get; init; }

        public override bool IsSnapshot => true;

        public override CallRequest ReadSnapshot() => OpenAIProtocolChatReader.ReadSnapshot(client, body, Stream);
    }
}
