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
    /// Where records are stored: <c>sqlite:///relative/path.db</c> or <c>sqlite:////absolute/path.db</c>, or a
    /// PostgreSQL database that several processes and machines share,
    /// <c>postgresql://user:password@host:port/database</c> (also <c>postgres://</c>; parameters such as
    /// <c>?sslmode=require</c> are passed to the driver). Default <c>sqlite:///prompts.db</c>.
    /// </summary>
    /// <remarks>
    /// A password in the URL is never shown: messages and logs mask it (<c>postgresql://user:***@host/db</c>).
    /// While a PostgreSQL server cannot be reached, records are spooled to a local folder,
    /// <c>TEMP/promptlogger-spool-USER/</c>, and replayed once it can.
    /// </remarks>
    public string Database { get; set; } = DefaultDatabase;

    /// <summary>
    /// How many captured calls may wait for the background writer. When the queue is full, further calls are
    /// dropped (counted and reported through <see cref="Logger"/>) rather than slowing the application. Default 100,000.
    /// </summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>The most records written in one transaction. Default 1,000.</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>
    /// When a recorded call counts as stored: <see cref="Durability.Buffered"/> (the default) returns at once,
    /// <see cref="Durability.Immediate"/> waits for the commit.
    /// </summary>
    public Durability Durability { get; set; } = Durability.Buffered;

    /// <summary>
    /// Replace common secret shapes in stored text with <c>[REDACTED]</c>: OpenAI-style keys (<c>sk-…</c>),
    /// <c>Bearer …</c> tokens, AWS access key ids (<c>AKIA…</c>), GitHub and Slack tokens, PEM private keys, and by
    /// context a URL's <c>user:password@</c>, secret parameters (<c>?api-key=</c>, <c>password=</c>, …) and an API key
    /// a provider echoes (<c>Incorrect API key provided: …</c>). Default <see langword="true"/>.
    /// </summary>
    /// <remarks>
    /// Applied on the background writer to messages, completions, prompts, responses and tool arguments. Errors are
    /// always redacted, even when this is <see langword="false"/>.
    /// </remarks>
    public bool RedactSecrets { get; set; } = true;

    /// <summary>
    /// Your own redaction, applied to every stored text after <see cref="RedactSecrets"/>: return the text to
    /// store. It runs on the background writer; an exception from it drops the record (and is reported).
    /// </summary>
    public Func<string, string>? Redact { get; set; }

    /// <summary>
    /// Store metadata only: model, provider, roles, tool names, generation parameters, finish reasons, usage,
    /// errors and timing, but no message, completion, prompt or response text and no tool arguments.
    /// Default <see langword="false"/> (content is stored, which is what prompt logging is for).
    /// </summary>
    public bool MetadataOnly { get; set; }

    /// <summary>
    /// Extra method names that <see cref="PromptLogger.AttachToClient{T}(T)"/> treats as chat calls, beyond the built-in
    /// convention (<c>CompleteChat</c>, <c>GetResponseAsync</c>, <c>Complete</c>, <c>Generate</c>, <c>Chat</c>,
    /// <c>Ask</c>, <c>Prompt</c>, …). A name also covers its <c>Async</c> and <c>Streaming</c> forms; names compare
    /// ignoring case. A method with such a name is recorded when it takes a prompt string or message-like objects.
    /// Empty by default.
    /// </summary>
    /// <example><c>new PromptLoggerOptions { ChatMethodNames = { "Summarize", "Translate" } }</c></example>
    public ICollection<string> ChatMethodNames { get; } = new List<string>();

    /// <summary>Where PromptLogger reports its own problems (a failed write, a dropped record). Default: nowhere.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>How long a SQLite write waits for another process's lock; tests shorten it.</summary>
    internal TimeSpan BusyTimeout { get; set; } = Storage.SqliteStore.DefaultBusyTimeout;

    /// <summary>The clock of retries and backoff; tests replace it.</summary>
    internal TimeProvider Time { get; set; } = TimeProvider.System;

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

        if (!Enum.IsDefined(Durability))
        {
            throw new ArgumentOutOfRangeException(nameof(Durability), Durability, "Durability must be Buffered or Immediate.");
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
