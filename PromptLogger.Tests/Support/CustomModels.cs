using System.Runtime.CompilerServices;
using PromptLogging.Interception;

namespace PromptLogging.Tests.Support;

/// <summary>A custom LLM interface with text-shaped methods of every return shape, plus members that are not chat calls.</summary>
public interface ITextModel
{
    string Name { get; }

    string Complete(string prompt, int maxTokens = 50);

    Task<string> GenerateAsync(string prompt, CancellationToken cancellationToken = default);

    ValueTask<string> AskAsync(string question);

    IAsyncEnumerable<string> GenerateStreamingAsync(string prompt, CancellationToken cancellationToken = default);

    IEnumerable<string> CompleteStreaming(string prompt);

    int CountTokens(string text);

    string Translate(string text);

    [PromptLog]
    string Summarize(string text);

    [PromptLog(Ignore = true)]
    string Prompt(string cacheKey);
}

/// <summary>Echoes prompts; can be slowed down or made to fail.</summary>
public class FakeTextModel : ITextModel
{
    public string Name => "fake";

    public Exception? Failure { get; set; }

    public TimeSpan Delay { get; set; }

    public int NonChatCalls { get; private set; }

    public virtual string Complete(string prompt, int maxTokens = 50) => Fail() ?? $"echo: {prompt}";

    public async Task<string> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        await Task.Delay(Delay, cancellationToken);
        return Fail() ?? $"generated: {prompt}";
    }

    public ValueTask<string> AskAsync(string question) =>
        Delay == TimeSpan.Zero ? ValueTask.FromResult($"answer: {question}") : new ValueTask<string>(AnswerLaterAsync(question));

    public async IAsyncEnumerable<string> GenerateStreamingAsync(string prompt, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var word in new[] { "one ", "two ", "three" })
        {
            await Task.Delay(Delay, cancellationToken);
            if (Failure is not null && word == "two ")
            {
                throw Failure;
            }

            yield return word;
        }
    }

    public IEnumerable<string> CompleteStreaming(string prompt)
    {
        yield return "a";
        yield return "b";
    }

    public int CountTokens(string text)
    {
        NonChatCalls++;
        return text.Length;
    }

    public string Translate(string text) => $"translated: {text}";

    public string Summarize(string text) => $"summary: {text}";

    public string Prompt(string cacheKey) => $"cached: {cacheKey}";

    private string? Fail() => Failure is null ? null : throw Failure;

    private async Task<string> AnswerLaterAsync(string question)
    {
        await Task.Delay(Delay);
        return $"answer: {question}";
    }
}

/// <summary>Roles as an enum, as custom code often has them.</summary>
public enum Speaker
{
    System,
    User,
    Assistant,
}

/// <summary>A message-like object: a role and a text.</summary>
public sealed record Turn(Speaker Role, string Text);

/// <summary>A reply with a role, a content and a finish reason.</summary>
public sealed record Reply(string Role, string Content, string? FinishReason = null);

/// <summary>A custom chat interface taking message-like objects.</summary>
public interface IChatModel
{
    Task<Reply> ChatAsync(IEnumerable<Turn> messages, string model, int maxTokens, CancellationToken cancellationToken = default);

    IAsyncEnumerable<Reply> ChatStreamingAsync(IReadOnlyList<Turn> messages);
}

/// <summary>Answers every chat with a fixed reply.</summary>
public sealed class FakeChatModel : IChatModel
{
    public string ReplyText { get; set; } = "It's sunny!";

    public async Task<Reply> ChatAsync(IEnumerable<Turn> messages, string model, int maxTokens, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return new Reply("assistant", ReplyText, "length");
    }

    public async IAsyncEnumerable<Reply> ChatStreamingAsync(IReadOnlyList<Turn> messages)
    {
        await Task.Yield();
        yield return new Reply("assistant", "It's ");
        yield return new Reply("assistant", "sunny!", "stop");
    }
}

/// <summary>An interface DispatchProxy cannot build (init-only setter), so Castle's interface proxy takes over.</summary>
public interface IInitOnlyModel
{
    string Name { get; init; }

    string Complete(string prompt);
}

public sealed class InitOnlyModel : IInitOnlyModel
{
    public string Name { get; init; } = "init-only";

    public string Complete(string prompt) => $"echo: {prompt}";
}

/// <summary>A sealed class: nothing can stand in for it.</summary>
public sealed class SealedModel : ITextModelLite
{
    public string Complete(string prompt) => prompt;
}

/// <summary>The interface the sealed class implements, which is what to attach to instead.</summary>
public interface ITextModelLite
{
    string Complete(string prompt);
}

/// <summary>A class whose chat method is not virtual.</summary>
public class NonVirtualModel
{
    public string Prefix { get; set; } = string.Empty;

    public string Complete(string prompt) => Prefix + prompt;
}
