using PromptLogging.Interception;
using PromptLogging.Interception.Streams;

namespace PromptLogging;

public sealed partial class PromptLogger
{
    /// <summary>
    /// Returns a stand-in for <paramref name="client"/> that records every chat call it makes, while the caller sees
    /// exactly what it saw before: <c>client = logger.AttachToClient(client);</c>.
    /// </summary>
    /// <typeparam name="T">
    /// The type to attach at: an interface (Microsoft.Extensions.AI's <c>IChatClient</c>, your own LLM interface), or a
    /// non-sealed class whose chat methods are virtual (the OpenAI .NET SDK's <c>ChatClient</c>), or a root client whose
    /// <c>GetChatClient(model)</c> then hands out attached chat clients (the OpenAI SDK's <c>OpenAIClient</c>, Azure's
    /// <c>AzureOpenAIClient</c>).
    /// </typeparam>
    /// <param name="client">The original client. It keeps doing the work; the returned proxy forwards every call to it.</param>
    /// <returns>
    /// A <typeparamref name="T"/> to use in place of <paramref name="client"/>; or <paramref name="client"/> itself when it
    /// is already attached to this logger.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <typeparamref name="T"/> has nothing to intercept: it is sealed, it has no chat method, or its chat methods are not
    /// virtual. The message says what to attach to instead (usually an interface the client implements).
    /// </exception>
    /// <exception cref="ObjectDisposedException">The logger is disposed.</exception>
    /// <remarks>
    /// <para>
    /// Recognised chat calls: the OpenAI SDK's <c>CompleteChat</c>, <c>CompleteChatAsync</c>, <c>CompleteChatStreaming</c>
    /// and <c>CompleteChatStreamingAsync</c> (both overloads each), and the protocol methods
    /// <c>CompleteChat[Async](BinaryContent, RequestOptions)</c> — which Microsoft.Extensions.AI's <c>AsIChatClient()</c>
    /// bridge calls — read from the wire body and the raw reply (a streamed reply as the caller reads it); each call is
    /// recorded once, whichever path it took, and once however often the SDK's pipeline retried it; Microsoft.Extensions.AI's <c>GetResponseAsync</c> and
    /// <c>GetStreamingResponseAsync</c>; and, on custom types, methods named <c>Complete</c>, <c>Generate</c>,
    /// <c>Chat</c>, <c>Ask</c>, <c>Prompt</c> (with <c>Async</c>/<c>Streaming</c> forms), the names in
    /// <see cref="PromptLoggerOptions.ChatMethodNames"/>, or marked <see cref="PromptLogAttribute"/> — taking a prompt
    /// string (recorded as a text prompt) or message-like objects with a <c>Role</c> and a <c>Content</c>/<c>Text</c>
    /// (recorded as a chat prompt). Every other member is forwarded untouched.
    /// </para>
    /// <para>
    /// What is recorded per call: the model asked for (for the OpenAI SDK, the client's or the request body's; for
    /// <c>IChatClient</c>, the options', else the client metadata's, else the response's) and provider; what answered
    /// (the response's model, id and, where reported, system fingerprint); the request messages and tools copied when
    /// the call starts; the generation parameters under the names the provider received on the wire (for an
    /// <c>IChatClient</c> whose metadata names OpenAI, what Microsoft.Extensions.AI.OpenAI's bridge sends, so the same
    /// call records the same parameters as through the OpenAI SDK; for another <c>IChatClient</c>, the Chat Completions
    /// names); the completions with finish reason and tool calls, token usage, when the call started and how long it
    /// took. A call that throws (an HTTP error, a timeout, a cancellation) is recorded with its error, and the caller
    /// receives the original exception object unchanged.
    /// </para>
    /// <para>
    /// Streams (<c>CollectionResult&lt;T&gt;</c>, <c>AsyncCollectionResult&lt;T&gt;</c>, <c>IEnumerable&lt;T&gt;</c>,
    /// <c>IAsyncEnumerable&lt;T&gt;</c>) stay lazy: each update reaches the caller as soon as it arrives. The call is
    /// recorded once the caller finishes the stream, disposes it early or it faults, with the assembled text, the final
    /// finish reason and usage, and the time to the first update that carries content (text, a tool call, a refusal). A stream that is never enumerated is not recorded
    /// (the OpenAI SDK sends nothing until then). How it ended is stored as <c>stream_end</c>: <c>completed</c> (read to
    /// the end), <c>abandoned</c> (disposed early; or its enumerator dropped undisposed, recorded at the first
    /// <see cref="Flush()"/> after the garbage collector reclaimed it, and at the latest by <see cref="Dispose"/>),
    /// <c>cancelled</c> (by the caller's token) or <c>failed</c> (it threw).
    /// </para>
    /// <para>
    /// The proxy is thread-safe as far as the original is. For the OpenAI SDK, the proxy is built from the original's
    /// pipeline, model and endpoint, so its own members (<c>Model</c>, <c>Endpoint</c>, <c>Pipeline</c>) return the
    /// original's values, and Microsoft.Extensions.AI's <c>AsIChatClient()</c> works over it.
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>
    /// using var logger = new PromptLogger("my-namespace", "sqlite:///my_prompts.db");
    /// ChatClient client = logger.AttachToClient(new ChatClient("gpt-4.1", apiKey));
    /// ChatCompletion reply = client.CompleteChat(messages, options);   // recorded
    /// IChatClient chat = logger.AttachToClient(new ChatClient("gpt-4.1", apiKey).AsIChatClient());
    /// </code>
    /// </example>
    public T AttachToClient<T>(T client)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(client);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return ClientProxyFactory.Create(client, Sink, _interceptionOptions);
    }

    /// <summary>As <see cref="AttachToClient{T}(T)"/>, storing the calls under <paramref name="namespace"/> (null: the logger's).</summary>
    internal T AttachToClient<T>(T client, string? @namespace)
        where T : class
    {
        if (string.IsNullOrEmpty(@namespace))
        {
            return AttachToClient(client);
        }

        ArgumentNullException.ThrowIfNull(client);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return ClientProxyFactory.Create(client, new NamespacedSink(Sink, @namespace), _interceptionOptions);
    }

    /// <summary>Stores every call under one namespace.</summary>
    private sealed class NamespacedSink(ICapturedCallSink inner, string @namespace) : IAwaitableCapturedCallSink, ILiveStreamsSink
    {
        public bool RecordingMayWait => inner is IAwaitableCapturedCallSink { RecordingMayWait: true };

        public LiveStreams LiveStreams => ((ILiveStreamsSink)inner).LiveStreams;

        public void Record(CapturedCall capturedCall) => inner.Record(capturedCall.WithNamespace(@namespace));

        public ValueTask RecordAsync(CapturedCall capturedCall)
        {
            if (inner is IAwaitableCapturedCallSink awaitable)
            {
                return awaitable.RecordAsync(capturedCall.WithNamespace(@namespace));
            }

            inner.Record(capturedCall.WithNamespace(@namespace));
            return ValueTask.CompletedTask;
        }
    }

    // The names are copied: changing the options after the logger was created changes nothing.
    private InterceptionOptions CreateInterceptionOptions(PromptLoggerOptions options)
    {
        var interception = new InterceptionOptions { RecordingFailed = ReportRecordingFailure };
        foreach (var name in options.ChatMethodNames)
        {
            interception.ChatMethodNames.Add(name);
        }

        return interception;
    }
}
