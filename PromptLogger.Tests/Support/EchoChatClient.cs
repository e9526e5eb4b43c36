using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace PromptLogging.Tests.Support;

/// <summary>
/// A Microsoft.Extensions.AI chat client of another provider than OpenAI, built here: it answers each request with
/// <c>echo: </c> and the last user message, as model <see cref="ChatOptions.ModelId"/> (or its own default), with usage,
/// and keeps what it was asked.
/// </summary>
internal sealed class EchoChatClient(string defaultModel = "echo-1") : IChatClient
{
    private readonly ConcurrentQueue<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> _requests = new();

    /// <summary>The requests received, in arrival order.</summary>
    public IReadOnlyList<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests => [.. _requests];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        _requests.Enqueue((list, options));
        var question = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "echo: " + question))
        {
            ModelId = options?.ModelId ?? defaultModel,
            FinishReason = ChatFinishReason.Stop,
            ResponseId = "echo-" + Guid.NewGuid().ToString("N"),
            Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 3, TotalTokenCount = 8 },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The echo client answers whole responses only.");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("echo", null, defaultModel)
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
