using Microsoft.Extensions.Logging;

namespace PromptLogging;

/// <summary>Settings of a <see cref="PromptLogger"/>. Validated when the logger is created.</summary>
public sealed class PromptLoggerOptions
{
    /// <summary>The default namespace.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>The default database URL: <c>prompts.db</c> in the working folder.</summary>
    public const string DefaultDatabase = "sqlite:///prompts.db";

    /// <summary>The namespace records are stored under unless a call names another. Default <c>default</c>.</summary>
    public string Namespace { get; set; } = DefaultNamespace;

    /// <summary>
    /// Where records are stored: <c>sqlite:///relative/path.db</c> or <c>sqlite:////absolute/path.db</c>.
    /// Default <c>sqlite:///prompts.db</c>.
    /// </summary>
    public string Database { get; set; } = DefaultDatabase;

    /// <summary>
    /// How many captured calls may wait for the background writer. When the queue is full, further calls are
    /// dropped (counted and reported through <see cref="Logger"/>) rather than slowing the application. Default 100,000.
    /// </summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>The most records written in one transaction. Default 1,000.</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>
    /// Extra method names that <see cref="PromptLogger.AttachToClient{T}"/> treats as chat calls, beyond the built-in
    /// convention (<c>CompleteChat</c>, <c>GetResponseAsync</c>, <c>Complete</c>, <c>Generate</c>, <c>Chat</c>,
    /// <c>Ask</c>, <c>Prompt</c>, …). A name also covers its <c>Async</c> and <c>Streaming</c> forms; names compare
    /// ignoring case. A method with such a name is recorded when it takes a prompt string or message-like objects.
    /// Empty by default.
    /// </summary>
    /// <example><c>new PromptLoggerOptions { ChatMethodNames = { "Summarize", "Translate" } }</c></example>
    public ICollection<string> ChatMethodNames { get; } = new List<string>();

    /// <summary>Where PromptLogger reports its own problems (a failed write, a dropped record). Default: nowhere.</summary>
    public ILogger? Logger { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Namespace))
        {
            throw new ArgumentException("The namespace is empty; give a name such as \"default\" or \"my-namespace\".", nameof(Namespace));
        }

        if (QueueCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "The queue capacity must be at least 1.");
        }

        foreach (var name in ChatMethodNames)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A chat method name is empty; give method names such as \"Summarize\".", nameof(ChatMethodNames));
            }
        }

        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        }
    }
}
