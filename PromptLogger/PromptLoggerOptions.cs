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

    /// <summary>The default <see cref="MaxBufferedBytes"/>: 256 MB.</summary>
    public const long DefaultMaxBufferedBytes = 256L * 1024 * 1024;

    /// <summary>
    /// How many captured calls may wait for the background writer. When the queue is full, further calls are
    /// dropped (see <see cref="WhenFull"/>) rather than slowing the application. Default 100,000.
    /// </summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>
    /// The memory budget: how many bytes the records not yet committed or spooled may take — queued, being written,
    /// or held in memory while neither the database nor the spool can take them (a full or read-only disk, a server
    /// down while the local disk is full). Default <see cref="DefaultMaxBufferedBytes"/> (256 MB).
    /// </summary>
    /// <remarks>
    /// A record's size is estimated cheaply on the caller's thread: two bytes per character of its prompt, messages,
    /// response, completions and error, plus 1 KB. Nothing is dropped while the budget holds. Beyond it the
    /// <em>newest</em> records are the ones refused (see <see cref="WhenFull"/>): records already accepted are kept, in
    /// order, and written once the database or the spool takes writes again. A single record larger than the whole
    /// budget is still accepted when nothing else is buffered.
    /// </remarks>
    public long MaxBufferedBytes { get; set; } = DefaultMaxBufferedBytes;

    /// <summary>
    /// What a recording call does when <see cref="QueueCapacity"/> or <see cref="MaxBufferedBytes"/> is reached:
    /// <see cref="PromptLogging.WhenFull.Drop"/> (the default) drops the new record, counts it and reports drops in
    /// one log summary per interval; <see cref="PromptLogging.WhenFull.Wait"/> makes the caller wait for room.
    /// </summary>
    public WhenFull WhenFull { get; set; } = WhenFull.Drop;

    /// <summary>
    /// With <see cref="Durability.Immediate"/>, the longest a recording call waits for its record to be committed
    /// or spooled while neither the database nor the spool takes writes (a full or read-only disk). Default 30 seconds;
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits for as long as it takes.
    /// </summary>
    /// <remarks>
    /// Past it the call returns anyway and a warning is logged: the record is not lost but held in memory (within
    /// <see cref="MaxBufferedBytes"/>) and written as soon as the database or the spool takes writes — unless the
    /// process ends first, so it is not durable until then.
    /// </remarks>
    public TimeSpan ImmediateTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one batch may take on a PostgreSQL server before it is abandoned and spooled (the command timeout,
    /// in whole seconds, rounded up). Default 10 seconds. A server that accepts connections but does not answer
    /// (hung, or a table locked by another session) then delays the writer by this much per try, not indefinitely.
    /// </summary>
    /// <remarks>SQLite waits for another process's lock for a fixed 5 seconds instead.</remarks>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long <see cref="PromptLogger.Dispose"/> (and process exit) keeps trying the database for records still
    /// queued or held in memory. Default 30 seconds.
    /// </summary>
    /// <remarks>
    /// Past it, records still queued go straight to the spool, and records neither the database nor the spool takes
    /// are dropped, counted in <see cref="PromptLoggerDiagnostics.Dropped"/> and logged. A batch already being
    /// written to a PostgreSQL server can add up to <see cref="CommandTimeout"/>.
    /// </remarks>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

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

    /// <summary>
    /// A JSON file of your own model prices (USD per 1M input, cached-input and output tokens), on top of the built-in
    /// table that estimates <c>estimated_cost_usd</c> in exports: its entries replace the built-in entries of the same
    /// model name and add new ones. Default <see langword="null"/>: the built-in table alone.
    /// </summary>
    /// <remarks>
    /// The file has the built-in table's shape, e.g.
    /// <c>{ "models": [ { "model": "my-deployment", "input": 2.5, "cached_input": 1.25, "output": 10 } ] }</c>;
    /// an entry may also have <c>effective_from</c> (<c>YYYY-MM-DD</c>), <c>provider</c> and <c>long_context</c>.
    /// It is read when the logger is created; a missing or malformed file fails then, naming the line and what is wrong.
    /// Costs are estimates computed when records are read, never stored.
    /// </remarks>
    public string? PriceTable { get; set; }

    /// <summary>
    /// How long the records of <see cref="Namespace"/> are kept: older ones are deleted in the background while the
    /// logger runs. Default <see langword="null"/>: kept until deleted by hand (<c>prompt-logger purge</c>).
    /// </summary>
    /// <remarks>
    /// A record's age is the time of its call. The logger deletes at start and then every hour, in batches of 1,000
    /// records of their own transaction, on a thread of its own with a connection of its own: recording calls never
    /// wait for it, and a failure is logged (<see cref="Logger"/>), never thrown. Each record goes with its tags and
    /// search index entry, and a model no remaining record of its namespace uses goes too. Other namespaces are left
    /// alone unless named in <see cref="RetainForNamespace"/>. The space freed is reused by new records; the file
    /// itself shrinks only with <c>prompt-logger purge</c> (which runs <c>VACUUM</c>).
    /// </remarks>
    public TimeSpan? RetainFor { get; set; }

    /// <summary>
    /// How long the records of other namespaces (or of <see cref="Namespace"/>, overriding <see cref="RetainFor"/>)
    /// are kept, by namespace name; deleted in the background as <see cref="RetainFor"/> describes. Empty by default.
    /// </summary>
    /// <example><c>new PromptLoggerOptions { RetainFor = TimeSpan.FromDays(30), RetainForNamespace = { ["audit"] = TimeSpan.FromDays(365) } }</c></example>
    public IDictionary<string, TimeSpan> RetainForNamespace { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>Where PromptLogger reports its own problems (a failed write, a dropped record). Default: nowhere.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>How long a SQLite write waits for another process's lock; tests shorten it.</summary>
    internal TimeSpan BusyTimeout { get; set; } = Storage.SqliteStore.DefaultBusyTimeout;

    /// <summary>The clock of retries, backoff, lingering and drop reports; tests replace it.</summary>
    internal TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>How long the writer, woken by a call, waits for more before writing; tests change it.</summary>
    internal TimeSpan Linger { get; set; } = Writing.WriterWake.DefaultLinger;

    /// <summary>How often the background retention runs (<see cref="RetainFor"/>); tests drive it with <see cref="Time"/>.</summary>
    internal TimeSpan RetentionInterval { get; set; } = Retention.BackgroundRetention.DefaultInterval;

    /// <summary>The interval of drop summaries in the log; tests shorten it.</summary>
    internal TimeSpan DropReportInterval { get; set; } = Writing.DropReporter.DefaultInterval;

    /// <summary>The prices <see cref="Validate"/> read: the built-in table, with <see cref="PriceTable"/> on top.</summary>
    internal Pricing.PriceTable Prices { get; private set; } = Pricing.PriceTable.BuiltIn;

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

        if (MaxBufferedBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBufferedBytes), MaxBufferedBytes, "The memory budget must be at least 1 byte; the default is 256 MB.");
        }

        if (!Enum.IsDefined(WhenFull))
        {
            throw new ArgumentOutOfRangeException(nameof(WhenFull), WhenFull, "WhenFull must be Drop or Wait.");
        }

        if ((ImmediateTimeout <= TimeSpan.Zero && ImmediateTimeout != Timeout.InfiniteTimeSpan) || ImmediateTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(ImmediateTimeout), ImmediateTimeout, "The immediate timeout must be positive and at most 24 days, or Timeout.InfiniteTimeSpan.");
        }

        if (CommandTimeout <= TimeSpan.Zero || CommandTimeout > TimeSpan.FromSeconds(int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(CommandTimeout), CommandTimeout, "The command timeout must be positive (whole seconds, rounded up).");
        }

        if (ShutdownTimeout < TimeSpan.Zero || ShutdownTimeout > TimeSpan.FromDays(365))
        {
            throw new ArgumentOutOfRangeException(nameof(ShutdownTimeout), ShutdownTimeout, "The shutdown timeout must be zero or positive (at most a year).");
        }

        if (RetainFor is { } keep && !Retention.RetentionRules.IsValid(keep))
        {
            throw new ArgumentOutOfRangeException(nameof(RetainFor), keep, "RetainFor must be positive (at most 100 years), or null to keep records.");
        }

        foreach (var (name, keepFor) in RetainForNamespace)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A namespace in RetainForNamespace is empty; give names such as \"default\".", nameof(RetainForNamespace));
            }

            if (!Retention.RetentionRules.IsValid(keepFor))
            {
                throw new ArgumentOutOfRangeException(nameof(RetainForNamespace), keepFor, $"RetainForNamespace[\"{name}\"] must be positive (at most 100 years).");
            }
        }

        try
        {
            Prices = Pricing.PriceTable.WithUserFile(PriceTable);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            throw new ArgumentException(e.Message, nameof(PriceTable), e);
        }
    }
}
