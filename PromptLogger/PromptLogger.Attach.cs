using Microsoft.Extensions.AI;
using PromptLogging.ChatClients;
using PromptLogging.Diagnostics;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Conventions;

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
    /// virtual. The message says what to attach to instead (usually an interface the client implements). Or
    /// <typeparamref name="T"/> is a client SDK's whose PromptLogger package the application does not reference: the
    /// message names the package to add.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The logger is disposed.</exception>
    /// <remarks>
    /// <para>
    /// Microsoft.Extensions.AI's <c>IChatClient</c> and your own interfaces need only this package. A client SDK's
    /// calls are read by its own package, found by name with nothing to register: <c>PromptLogger.OpenAI</c> (the OpenAI
    /// .NET SDK and Azure.AI.OpenAI), <c>PromptLogger.Anthropic</c>, <c>PromptLogger.SemanticKernel</c>.
    /// </para>
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
        if (typeof(T) == typeof(IChatClient))
        {
            // Microsoft.Extensions.AI has a middleware type for this: it records in its own overrides, no proxy needed.
            var chat = (IChatClient)client;
            return RecordsInto(chat) ? client : (T)(object)new PromptLoggingChatClient(chat, this);
        }

        return ClientProxyFactory.Create(client, Sink, _interceptionOptions);
    }

    /// <summary>
    /// What a <see cref="PromptLoggingChatClient"/> over <paramref name="inner"/> records with: a recording client for
    /// <paramref name="namespace"/>, or null when every call through <paramref name="inner"/> is recorded into this
    /// logger already.
    /// </summary>
    internal ProxiedClient? RecorderFor(IChatClient inner, string? @namespace, CallContext? context)
    {
        if (!RecordsInto(inner))
        {
            return new ProxiedClient(inner, ChatMethodConvention.For(_interceptionOptions.ChatMethodNames), Sink, _interceptionOptions.RecordingFailed, @namespace, context);
        }

        if (!string.IsNullOrEmpty(@namespace) || context is not null)
        {
            // Recorded further in, once: what this pipeline asked for cannot be applied there. Say so once.
            Log.PipelineSettingsUnused(_diagnostics);
        }

        return null;
    }

    // Whether calls through the client are recorded into this logger already: it is attached to it, it is a bridge
    // (AsIChatClient()) over an OpenAI ChatClient attached to it, or this logger's middleware is in its pipeline.
    private bool RecordsInto(IChatClient client)
    {
        if (ClientProxyFactory.ClientOf(client) is { } proxied && ReferenceEquals(proxied.Sink, Sink)
            || ClientProxyFactory.IsBridgeOverAttached(client, Sink))
        {
            return true;
        }

        try
        {
            // Each middleware answers for itself first: walk past those of other loggers (a bounded walk: a client
            // that answers with one further out must not loop).
            var depth = 0;
            for (var next = client; depth++ < 64 && next?.GetService(typeof(PromptLoggingChatClient)) is PromptLoggingChatClient middleware; next = middleware.Inner)
            {
                if (ReferenceEquals(middleware.Logger, this))
                {
                    return true;
                }
            }

            return false;
        }
#pragma warning disable CA1031 // A client whose GetService throws is simply recorded.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
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
