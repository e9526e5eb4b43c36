using Microsoft.Extensions.AI;

namespace PromptLogging.Benchmarks.Overhead;

/// <summary>An <see cref="IChatClient"/> that answers every call at once with the same response.</summary>
internal sealed class CannedChatClient : IChatClient
{
    private static readonly ChatClientMetadata Metadata = new("openai", new Uri("http://127.0.0.1/v1"), "gpt-4.1");

    private readonly Task<ChatResponse> _response = Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "It's sunny!"))
    {
        ModelId = "gpt-4.1",
        FinishReason = ChatFinishReason.Stop,
        Usage = new UsageDetails { InputTokenCount = 24, OutputTokenCount = 5, TotalTokenCount = 29 },
    });

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => _response;

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? Metadata : null;

    public void Dispose()
    {
    }
}
