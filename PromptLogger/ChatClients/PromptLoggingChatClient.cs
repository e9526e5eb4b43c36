using Microsoft.Extensions.AI;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Conventions;
using PromptLogging.Interception.Readers;

namespace PromptLogging.ChatClients;

/// <summary>
/// A Microsoft.Extensions.AI middleware that records every chat call passing through it into a <see cref="PromptLogger"/>:
/// the idiomatic alternative to <see cref="PromptLogger.AttachToClient{T}(T)"/> for code that builds its
/// <see cref="IChatClient"/> pipeline with <see cref="ChatClientBuilder"/> (see
/// <see cref="PromptLoggingChatClientBuilderExtensions.UsePromptLogger"/>). <c>AttachToClient</c> of an
/// <see cref="IChatClient"/> returns one.
/// </summary>
/// <remarks>
/// <para>
/// It records exactly what <c>AttachToClient</c> records for any chat client — the same reader does the work — and,
/// like it, never changes what the caller gets: the same responses, exceptions and cancellations; streams stay lazy.
/// Thread-safe as far as the inner client is. Calls that the inner client already records into the same logger (it is
/// attached, or bridged with <c>AsIChatClient()</c> over an attached OpenAI <c>ChatClient</c>, or has this middleware
/// further in) pass through unrecorded here, so each call is stored once.
/// </para>
/// <para>
/// What is stored: messages, options as generation parameters, the response, usage and timing (see
/// <see cref="PromptLogger"/>). Generation parameters carry the names the provider receives on the wire: for a client
/// whose <see cref="ChatClientMetadata.ProviderName"/> is <c>openai</c> (Microsoft.Extensions.AI.OpenAI's
/// <c>AsIChatClient()</c>, over OpenAI or Azure OpenAI) what that bridge sends — <c>max_completion_tokens</c>,
/// <c>temperature</c>, <c>top_p</c>, <c>stop</c>, <c>seed</c>, <c>tool_choice</c>, … — so a call records what the same
/// call made through the OpenAI SDK records; for any other client the Chat Completions names, plus <c>top_k</c> and the
/// options' additional properties. <see cref="ChatOptions.Instructions"/> are recorded as a leading system message. Place it where the calls you want to log pass: typically last, next to the provider's
/// client, to log what is actually sent.
/// </para>
/// </remarks>
public sealed class PromptLoggingChatClient : DelegatingChatClient
{
    private readonly PromptLogger _logger;
    private Recording? _recording;
    private string? _namespace;

    /// <summary>Creates the middleware over <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client that does the work.</param>
    /// <param name="logger">Where calls are recorded.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PromptLoggingChatClient(IChatClient innerClient, PromptLogger logger)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>A middleware recording with <paramref name="recorder"/> (the benchmarks' capture-only rows).</summary>
    internal PromptLoggingChatClient(IChatClient innerClient, PromptLogger logger, ProxiedClient recorder)
        : this(innerClient, logger) => _recording = new Recording(recorder);

    /// <summary>The namespace this pipeline's calls are stored under; <see langword="null"/> (the default) means the logger's.</summary>
    /// <exception cref="InvalidOperationException">Set after the first call.</exception>
    public string? Namespace
    {
        get => _namespace;
        set
        {
            if (Volatile.Read(ref _recording) is not null)
            {
                throw new InvalidOperationException("Set the namespace when building the pipeline, before the first call.");
            }

            _namespace = value;
        }
    }

    /// <summary>
    /// Tags stored with every call of this pipeline, added to those of the scopes around the call (see
    /// <see cref="PromptLogger.BeginScope"/>). Read at the first call: fill it when building the pipeline.
    /// </summary>
    public IList<string> Tags { get; } = new List<string>();

    /// <summary>
    /// Metadata stored with every call of this pipeline; a scope around the call wins for the same key. Read at the
    /// first call: fill it when building the pipeline.
    /// </summary>
    public IDictionary<string, string?> Metadata { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>The logger this middleware records into.</summary>
    internal PromptLogger Logger => _logger;

    /// <summary>The client it passes calls to.</summary>
    internal IChatClient Inner => InnerClient;

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var recording = Recorder;
        if (recording.Client is not { } client)
        {
            return base.GetResponseAsync(messages, options, cancellationToken);
        }

        // A lazy sequence of messages is replaced with the array read from it, so that it runs once.
        var call = ExtensionsAIChatReader.Begin(client, recording.GetResponse, ref messages, options);
        Task<ChatResponse> response;
        try
        {
            response = base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception exception)
        {
            call.Fail(exception);
            throw;
        }

        return (Task<ChatResponse>)call.Complete(response)!;
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var recording = Recorder;
        if (recording.Client is not { } client)
        {
            return base.GetStreamingResponseAsync(messages, options, cancellationToken);
        }

        var call = ExtensionsAIChatReader.Begin(client, recording.GetStreamingResponse, ref messages, options);
        IAsyncEnumerable<ChatResponseUpdate> updates;
        try
        {
            updates = base.GetStreamingResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception exception)
        {
            call.Fail(exception);
            throw;
        }

        return (IAsyncEnumerable<ChatResponseUpdate>)call.Complete(updates)!;
    }

    // Decided at the first call (the namespace is set before it): whether to record here, and with what.
    private Recording Recorder
    {
        get
        {
            var recording = Volatile.Read(ref _recording);
            if (recording is null)
            {
                recording = new Recording(_logger.RecorderFor(InnerClient, _namespace, CallContext.Of(null, null, Tags, Metadata)));
                Volatile.Write(ref _recording, recording);
            }

            return recording;
        }
    }

    private sealed class Recording(ProxiedClient? client)
    {
        private static readonly System.Reflection.MethodInfo GetResponseMethod =
            typeof(IChatClient).GetMethod(nameof(IChatClient.GetResponseAsync))!;

        private static readonly System.Reflection.MethodInfo GetStreamingResponseMethod =
            typeof(IChatClient).GetMethod(nameof(IChatClient.GetStreamingResponseAsync))!;

        /// <summary>Records the calls; null when the inner client records them into the same logger already.</summary>
        public ProxiedClient? Client { get; } = client;

        public ChatMethodPlan GetResponse { get; } = Plan(client, GetResponseMethod);

        public ChatMethodPlan GetStreamingResponse { get; } = Plan(client, GetStreamingResponseMethod);

        private static ChatMethodPlan Plan(ProxiedClient? client, System.Reflection.MethodInfo method) =>
            client?.Convention.Find(method) ?? ChatMethodConvention.For(null).Find(method)!;
    }
}
