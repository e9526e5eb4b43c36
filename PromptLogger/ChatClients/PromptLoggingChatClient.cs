using Microsoft.Extensions.AI;

namespace PromptLogging.ChatClients;

/// <summary>
/// A Microsoft.Extensions.AI middleware that records every chat call passing through it into a <see cref="PromptLogger"/>:
/// the idiomatic alternative to <see cref="PromptLogger.AttachToClient{T}(T)"/> for code that builds its
/// <see cref="IChatClient"/> pipeline with <see cref="ChatClientBuilder"/> (see
/// <see cref="PromptLoggingChatClientBuilderExtensions.UsePromptLogger"/>).
/// </summary>
/// <remarks>
/// <para>
/// It records exactly what <c>AttachToClient</c> records for the inner client — the same reader does the work —
/// and, like it, never changes what the caller gets: the same responses, exceptions and cancellations; streams stay
/// lazy. Thread-safe as far as the inner client is.
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
    private IChatClient? _recorded;
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

    /// <summary>The namespace this pipeline's calls are stored under; <see langword="null"/> (the default) means the logger's.</summary>
    /// <exception cref="InvalidOperationException">Set after the first call.</exception>
    public string? Namespace
    {
        get => _namespace;
        set
        {
            if (_recorded is not null)
            {
                throw new InvalidOperationException("Set the namespace when building the pipeline, before the first call.");
            }

            _namespace = value;
        }
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Recorded.GetResponseAsync(messages, options, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Recorded.GetStreamingResponseAsync(messages, options, cancellationToken);

    // The inner client as AttachToClient returns it: one recording path for the proxy and the middleware.
    private IChatClient Recorded => _recorded ??= _logger.AttachToClient(InnerClient, _namespace);
}
