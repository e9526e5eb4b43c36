using System.Reflection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Readers.SemanticKernel;

/// <summary>
/// Reads Semantic Kernel's <see cref="IChatCompletionService"/> (<c>GetChatMessageContentsAsync</c>,
/// <c>GetStreamingChatMessageContentsAsync</c>): the chat history as messages with the wire's lowercase roles, function
/// calls as tool calls and function results as tool messages (see <see cref="SemanticKernelMessages"/>); the execution
/// settings as generation parameters under the names the OpenAI connector sends, and the kernel's functions as tools when
/// the settings offer them (see <see cref="SemanticKernelSettings"/>); the model from the service; and the reply — for
/// the OpenAI connector from the OpenAI SDK's own completion it carries, so the record is the one the SDK path makes.
/// </summary>
/// <remarks>
/// With automatic function calling, one call of the service makes several requests to the model: it asks, the model
/// answers with tool calls, the connector invokes the kernel functions, adds the call and its results to the caller's
/// chat history and asks again. Such a call is recorded once, as its last request: the messages are the history as the
/// model last saw it (with the tool calls and tool results the connector added), the completion is the final reply, with
/// that request's usage. (To record every request to the model apart, attach the <c>OpenAIClient</c> the connector is
/// built with instead.) A streamed call is recorded with the history as it was passed, and what
/// the stream carried (the tool calls the model asked for, and the final text).
/// </remarks>
internal sealed class SemanticKernelChatReader : CallReader
{
    private readonly int _settingsIndex;
    private readonly int _kernelIndex;

    private SemanticKernelChatReader(int settingsIndex, int kernelIndex)
    {
        _settingsIndex = settingsIndex;
        _kernelIndex = kernelIndex;
    }

    public override CallKind Kind => CallKind.Chat;

    /// <summary>A reader for a method whose first parameter is a <see cref="ChatHistory"/> and whose result is chat message contents or their streamed updates.</summary>
    public static CallReader? TryCreate(ParameterInfo[] parameters, ReturnShape shape, Type itemType)
    {
        if (parameters.Length == 0 || parameters[0].ParameterType != typeof(ChatHistory))
        {
            return null;
        }

        var readable = shape.IsStream()
            ? itemType == typeof(StreamingChatMessageContent)
            : itemType == typeof(IReadOnlyList<ChatMessageContent>);
        return readable
            ? new SemanticKernelChatReader(
                Array.FindIndex(parameters, static p => p.ParameterType == typeof(PromptExecutionSettings)),
                Array.FindIndex(parameters, static p => p.ParameterType == typeof(Kernel)))
            : null;
    }

    public override CallRequest ReadRequest(ProxiedClient client, object?[] arguments)
    {
        // On the caller's thread only a snapshot: the history's messages copied (references), the settings shallow-copied;
        // the background writer reads them.
        var history = arguments[0] as ChatHistory;
        ChatMessageContent[] messages = history is null ? [] : [.. history];
        var settings = _settingsIndex >= 0 && arguments[_settingsIndex] is PromptExecutionSettings given
            ? (PromptExecutionSettings)ShallowCopy.Of(given)
            : null;
        var kernel = _kernelIndex >= 0 ? arguments[_kernelIndex] as Kernel : null;
        return new Snapshot(client, history, messages, settings, kernel)
        {
            Kind = CallKind.Chat,
            Model = SemanticKernelService.ModelOf(client),
            Provider = SemanticKernelService.ProviderOf(client),
        };
    }

    public override CallRequest FallbackRequest(ProxiedClient client, object?[] arguments) => new()
    {
        Kind = CallKind.Chat,
        Model = SemanticKernelService.ModelOf(client),
        Provider = SemanticKernelService.ProviderOf(client),
    };

    /// <summary>
    /// Runs on the caller's thread when the call has returned and before the caller sees the reply: keeps the messages
    /// the connector added to the caller's history during the call (automatic function calling), which the caller may
    /// change as soon as it has the reply.
    /// </summary>
    public override bool ObservesRest(object? result, CapturedCall call)
    {
        (call.Request as Snapshot)?.NoteAddedMessages();
        return false;
    }

    public override void ReadResult(object? result, CallOutcome outcome)
    {
        if (result is IReadOnlyList<ChatMessageContent> messages)
        {
            SemanticKernelMessages.ReadReply(messages, outcome);
        }
    }

    public override StreamObserver<T> CreateStreamObserver<T>() =>
        typeof(T) == typeof(StreamingChatMessageContent)
            ? (StreamObserver<T>)(object)new SemanticKernelStreamObserver()
            : new IgnoringStreamObserver<T>();

    /// <summary>The request as the caller's thread left it: one object, read on the writer.</summary>
    private sealed class Snapshot(
        ProxiedClient client, ChatHistory? history, ChatMessageContent[] messages, PromptExecutionSettings? settings, Kernel? kernel) : CallRequest
    {
        private ChatMessageContent[] _added = [];

        public override bool IsSnapshot => true;

        /// <summary>Copies the messages appended to the history after the ones the call started with; none when the history was otherwise changed.</summary>
        public void NoteAddedMessages()
        {
            if (history is null || history.Count <= messages.Length
                || (messages.Length > 0 && !ReferenceEquals(history[messages.Length - 1], messages[^1])))
            {
                return;
            }

            var added = new ChatMessageContent[history.Count - messages.Length];
            for (var i = 0; i < added.Length; i++)
            {
                added[i] = history[messages.Length + i];
            }

            _added = added;
        }

        public override CallRequest ReadSnapshot() => SemanticKernelChatReader.ReadSnapshot(client, messages, _added, settings, kernel, Model, Provider);
    }

    private static CallRequest ReadSnapshot(
        ProxiedClient client, ChatMessageContent[] messages, ChatMessageContent[] added, PromptExecutionSettings? settings, Kernel? kernel, string? model, string? provider)
    {
        var read = SemanticKernelSettings.Empty;
        try
        {
            read = SemanticKernelSettings.Read(settings, kernel, messages);
        }
#pragma warning disable CA1031 // Unreadable settings must not cost the messages: record the call without them.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            client.ReportFailure(exception);
        }

        return new CallRequest
        {
            Kind = CallKind.Chat,
            Model = model,
            Provider = provider,
            Messages = SemanticKernelMessages.ReadHistory(read.Prepended, messages, added),
            Tools = read.Tools,
            GenerationKwargs = read.Kwargs,
        };
    }
}
