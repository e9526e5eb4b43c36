using System.Reflection;
using System.Text.Json;
using Anthropic.Core;
using Anthropic.Models.Messages;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Conventions;
using PromptLogging.Interception.Streams;
using BetaMessage = Anthropic.Models.Beta.Messages.BetaMessage;
using BetaMessageCreateParams = Anthropic.Models.Beta.Messages.MessageCreateParams;
using BetaRawMessageStreamEvent = Anthropic.Models.Beta.Messages.BetaRawMessageStreamEvent;

namespace PromptLogging.Interception.Readers.Anthropic;

/// <summary>
/// Reads the official Anthropic .NET SDK's messages calls, <c>IMessageService.Create</c> (a <see cref="Message"/>)
/// and <c>CreateStreaming</c> (its <see cref="RawMessageStreamEvent"/>s), and their beta forms
/// (<c>client.Beta.Messages</c>: <see cref="BetaMessage"/>, <see cref="BetaRawMessageStreamEvent"/>), as chat prompts:
/// the request from the wire body the SDK sends (<see cref="AnthropicRequestBody"/>), the reply from the message's
/// wire JSON (<see cref="AnthropicReply"/>) or, streamed, as its events pass (<see cref="AnthropicStreamObserver{T}"/>).
/// </summary>
internal sealed class AnthropicMessagesReader : CallReader
{
    /// <summary>The provider recorded for every call through the Anthropic SDK (and the name its IChatClient bridge reports).</summary>
    public const string Provider = "anthropic";

    // Stateless: one reader for every method it reads.
    private static readonly AnthropicMessagesReader Instance = new();

    private AnthropicMessagesReader()
    {
    }

    public override CallKind Kind => CallKind.Chat;

    /// <summary>
    /// The plan for <paramref name="method"/> when it takes a <see cref="MessageCreateParams"/> first and returns a
    /// <see cref="Message"/> task or a stream of <see cref="RawMessageStreamEvent"/>s (or their beta forms) — the SDK's
    /// <c>Messages.Create</c> and <c>Messages.CreateStreaming</c>, recorded whatever the method's name — or
    /// <see langword="null"/> (also for a method opted out with <c>[PromptLog(Ignore = true)]</c>). The raw-response
    /// forms (<c>WithRawResponse.Messages</c>), whose results are HTTP responses still to be read, are not among them.
    /// </summary>
    public static ChatMethodPlan? PlanFor(MethodInfo method)
    {
        var parameters = method.GetParameters();
        if (parameters.Length == 0 || !ReturnShapes.TryClassify(method.ReturnType, out var shape, out var itemType))
        {
            return null;
        }

        var readable = parameters[0].ParameterType == typeof(MessageCreateParams)
            ? shape.IsStream() ? itemType == typeof(RawMessageStreamEvent) : itemType == typeof(Message)
            : parameters[0].ParameterType == typeof(BetaMessageCreateParams)
              && (shape.IsStream() ? itemType == typeof(BetaRawMessageStreamEvent) : itemType == typeof(BetaMessage));
        return readable && method.GetCustomAttribute<PromptLogAttribute>(inherit: true)?.Ignore != true
            ? new ChatMethodPlan(Instance, shape, itemType)
            : null;
    }

    public override CallRequest ReadRequest(ProxiedClient client, object?[] arguments)
    {
        // The parameters are immutable once read (the SDK freezes their body when it sends them, as this does): keep the
        // frozen body and read it on the writer.
        var body = arguments[0] switch
        {
            MessageCreateParams parameters => parameters.RawBodyData,
            BetaMessageCreateParams beta => beta.RawBodyData,
            _ => null,
        };
        return body is null ? FallbackRequest(client, arguments) : new Snapshot(client, body);
    }

    public override CallRequest FallbackRequest(ProxiedClient client, object?[] arguments) =>
        new() { Kind = CallKind.Chat, Provider = Provider };

    public override void ReadResult(object? result, CallOutcome outcome)
    {
        // A Message or a BetaMessage: the same wire JSON.
        if (result is JsonModel message)
        {
            AnthropicReply.Read(message.RawData, outcome);
        }
    }

    public override StreamObserver<T> CreateStreamObserver<T>() =>
        typeof(T) == typeof(RawMessageStreamEvent) ? (StreamObserver<T>)(object)new AnthropicStreamObserver<RawMessageStreamEvent>(static e => e.Json)
        : typeof(T) == typeof(BetaRawMessageStreamEvent) ? (StreamObserver<T>)(object)new AnthropicStreamObserver<BetaRawMessageStreamEvent>(static e => e.Json)
        : new IgnoringStreamObserver<T>();

    /// <summary>The request as the caller's thread left it: the frozen wire body, read on the writer.</summary>
    private sealed class Snapshot(ProxiedClient client, IReadOnlyDictionary<string, JsonElement> body) : CallRequest
    {
        public override bool IsSnapshot => true;

        public override CallRequest ReadSnapshot()
        {
            try
            {
                return AnthropicRequestBody.Read(body);
            }
#pragma warning disable CA1031 // A body PromptLogger cannot read must not cost the call its record: record what is known.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                client.ReportFailure(exception);
                return new CallRequest { Kind = CallKind.Chat, Provider = Provider, Model = AnthropicJson.String(body, "model") };
            }
        }
    }
}
