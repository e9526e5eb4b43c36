using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.TextGeneration;

namespace PromptLogging.SemanticKernel;

/// <summary>
/// An attached chat completion service that keeps the original's text generation interface: Semantic Kernel's OpenAI
/// connector registers its service as <see cref="ITextGenerationService"/> too, by casting the resolved
/// <see cref="IChatCompletionService"/>, so the stand-in must implement both. Chat calls go through the attached proxy
/// (recorded); text generation calls go straight to the original (not recorded).
/// </summary>
internal sealed class LoggedChatCompletionService : IChatCompletionService, ITextGenerationService
{
    private readonly IChatCompletionService _attached;
    private readonly ITextGenerationService _text;

    private LoggedChatCompletionService(IChatCompletionService attached, ITextGenerationService text)
    {
        _attached = attached;
        _text = text;
    }

    public IReadOnlyDictionary<string, object?> Attributes => _attached.Attributes;

    /// <summary><paramref name="service"/> attached to <paramref name="logger"/>, still a text generation service when it was one.</summary>
    public static IChatCompletionService Attach(IChatCompletionService service, PromptLogger logger)
    {
        if (service is LoggedChatCompletionService)
        {
            // Decorated twice (UsePromptLogger called twice): recording once is enough.
            return service;
        }

        var attached = logger.AttachToClient(service);
        return service is ITextGenerationService text ? new LoggedChatCompletionService(attached, text) : attached;
    }

    public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        _attached.GetChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken);

    public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        _attached.GetStreamingChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken);

    public Task<IReadOnlyList<TextContent>> GetTextContentsAsync(
        string prompt, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        _text.GetTextContentsAsync(prompt, executionSettings, kernel, cancellationToken);

    public IAsyncEnumerable<StreamingTextContent> GetStreamingTextContentsAsync(
        string prompt, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        _text.GetStreamingTextContentsAsync(prompt, executionSettings, kernel, cancellationToken);
}
