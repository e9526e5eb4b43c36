using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace PromptLogging.Tests.Support;

/// <summary>
/// A message-like object (a role and a nullable content) that can point at itself or at another memo, so that its
/// object graph has a cycle.
/// </summary>
public class Memo
{
    public Memo(string role, string? content)
    {
        Role = role;
        Content = content;
        Self = this;
    }

    public string Role { get; }

    public virtual string? Content { get; }

    /// <summary>Always this memo: a cycle of length one.</summary>
    public Memo Self { get; }

    /// <summary>Another memo (or this one), to make longer cycles.</summary>
    public Memo? Parent { get; set; }
}

/// <summary>A memo whose content cannot be read.</summary>
public sealed class UnreadableMemo : Memo
{
    public UnreadableMemo(string role)
        : base(role, null)
    {
    }

    public override string? Content => throw new InvalidOperationException("the content of this memo cannot be read");
}

/// <summary>A reply whose content getter throws: the caller may never read it, but PromptLogger tries.</summary>
public sealed class UnreadableReply
{
    private readonly string _failure = "the content of this reply cannot be read";

    public string Role { get; } = "assistant";

    public string Content => throw new InvalidOperationException(_failure);
}

/// <summary>An object no serializer can write: one of its properties throws.</summary>
public sealed class ThrowingProperty
{
    private readonly string _failure = "this value cannot be read";

    public string Name { get; } = "visible";

    public int Value => throw new NotSupportedException(_failure);
}

/// <summary>An object graph with a cycle through a property.</summary>
public sealed class CyclicNode
{
    public CyclicNode() => Next = this;

    public string Name { get; } = "node";

    public CyclicNode Next { get; set; }
}

/// <summary>A custom interface whose chat methods take message-like memos and arguments no serializer can write.</summary>
public interface IMemoModel
{
    Task<Reply> ChatAsync(
        IReadOnlyList<Memo> messages,
        IDictionary<string, object?>? options = null,
        Stream? attachment = null,
        Func<string, string>? callback = null,
        ThrowingProperty? extra = null,
        CancellationToken cancellationToken = default);

    UnreadableReply Ask(string prompt);

    Task<UnreadableReply> GenerateAsync(string prompt);

    IAsyncEnumerable<UnreadableReply> ChatStreamingAsync(IReadOnlyList<Memo> messages);
}

/// <summary>Answers every memo chat with a fixed reply; its <see cref="UnreadableReply"/>s cannot be read.</summary>
public sealed class FakeMemoModel : IMemoModel
{
    public UnreadableReply LastReply { get; private set; } = new();

    public async Task<Reply> ChatAsync(
        IReadOnlyList<Memo> messages,
        IDictionary<string, object?>? options = null,
        Stream? attachment = null,
        Func<string, string>? callback = null,
        ThrowingProperty? extra = null,
        CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return new Reply("assistant", callback is null ? "It's sunny!" : callback("It's sunny!"), "stop");
    }

    public UnreadableReply Ask(string prompt) => LastReply = new UnreadableReply();

    public async Task<UnreadableReply> GenerateAsync(string prompt)
    {
        await Task.Yield();
        return LastReply = new UnreadableReply();
    }

    public async IAsyncEnumerable<UnreadableReply> ChatStreamingAsync(IReadOnlyList<Memo> messages)
    {
        await Task.Yield();
        yield return new UnreadableReply();
        yield return new UnreadableReply();
    }
}

/// <summary>An <see cref="ILogger"/> that keeps what PromptLogger reports about itself.</summary>
public sealed class CollectingLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}

/// <summary>
/// An <see cref="IChatClient"/> that answers without serializing the request, so that a request
/// the OpenAI SDK would refuse to send (a stream among tool arguments) still reaches PromptLogger's reader.
/// </summary>
public sealed class FixedReplyChatClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Done.")));

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("This fake answers GetResponseAsync only.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
