using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PromptLogging.Diagnostics;
using PromptLogging.Interception;
using PromptLogging.Interception.Streams;
using PromptLogging.Recording;
using PromptLogging.Storage;
using PromptLogging.Writing;

namespace PromptLogging;

/// <summary>
/// Captures prompts sent to language models, and their completions, into a database; exports them as JSONL.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe: one logger serves a whole application. Recording never blocks and never throws into the code
/// that called the model: the caller's thread only enqueues a record, and one background writer stores records
/// in batches, one transaction each. <see cref="Flush()"/> waits until everything recorded before it is stored;
/// <see cref="Dispose"/> and process exit store what is left.
/// </para>
/// <para>
/// What is stored: the namespace, model, provider, request messages and tools, generation parameters,
/// completions, token usage, errors (type and message) and timing of each call — including the full text of
/// prompts and completions, unless <see cref="PromptLoggerOptions.MetadataOnly"/> is set. Common secret shapes
/// (API keys, bearer tokens, private keys) are redacted before storage; see <see cref="PromptLoggerOptions.RedactSecrets"/>.
/// Client credentials are never read.
/// </para>
/// </remarks>
public sealed partial class PromptLogger : IDisposable, IAsyncDisposable
{
    private readonly PromptStore _store;
    private readonly BackgroundWriter _writer;
    private readonly Retention.BackgroundRetention? _retention;
    private readonly ILogger _diagnostics;
    private readonly bool _immediate;
    private readonly bool _mayWait;
    private LoggerSink? _sink;
    private readonly LiveStreams _liveStreams = new();
    private readonly InterceptionOptions _interceptionOptions;
    private int _disposed;

    /// <summary>Creates a logger that stores into <paramref name="database"/> under <paramref name="namespace"/>.</summary>
    /// <param name="namespace">The namespace records are stored under. Default <c>default</c>.</param>
    /// <param name="database">
    /// The database URL: <c>sqlite:///relative/path.db</c> or <c>sqlite:////absolute/path.db</c>, or
    /// <c>postgresql://user:password@host:port/database</c>. Default <c>sqlite:///prompts.db</c>. A SQLite file, its
    /// folder and the schema are created if missing; a PostgreSQL database must exist, its tables are created.
    /// </param>
    /// <exception cref="ArgumentException">
    /// The namespace is empty, or the URL is malformed or unsupported; or it is a PostgreSQL URL and the application
    /// does not reference the PromptLogger.PostgreSql package (the message says how to add it).
    /// </exception>
    /// <exception cref="UnsupportedSchemaVersionException">The database was written by a newer PromptLogger.</exception>
    /// <exception cref="InvalidOperationException">
    /// The file exists and is not PromptLogger's (another application's database, or not SQLite at all; it is left
    /// unchanged); or the PostgreSQL server refused the user or password, or has
    /// no such database.
    /// </exception>
    public PromptLogger(string @namespace = PromptLoggerOptions.DefaultNamespace, string database = PromptLoggerOptions.DefaultDatabase)
        : this(new PromptLoggerOptions { Namespace = @namespace, Database = database })
    {
    }

    /// <summary>Creates a logger from <paramref name="options"/>.</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// An option is invalid, the message says which and why; or the database is a PostgreSQL URL and the application
    /// does not reference the PromptLogger.PostgreSql package (the message says how to add it).
    /// </exception>
    /// <exception cref="UnsupportedSchemaVersionException">The database was written by a newer PromptLogger.</exception>
    /// <exception cref="InvalidOperationException">
    /// The file exists and is not PromptLogger's (another application's database, or not SQLite at all; it is left
    /// unchanged); or the PostgreSQL server refused the user or password, or has
    /// no such database.
    /// </exception>
    public PromptLogger(PromptLoggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // First: Castle's one-time warm-up (tens of milliseconds) then overlaps with opening the store, so a client
        // attached right after the constructor finds it done, or nearly.
        ClientProxyFactory.WarmUpInBackground();
        options.Validate();
        Namespace = options.Namespace;
        Prices = options.Prices;
        var url = DatabaseUrl.Parse(options.Database, nameof(options.Database));
        Database = url.Redacted;
        _diagnostics = options.Logger is { } logger ? new GuardedLogger(logger) : NullLogger.Instance;
        _immediate = options.Durability == Durability.Immediate;
        _mayWait = _immediate || options.WhenFull == WhenFull.Wait;
        _interceptionOptions = CreateInterceptionOptions(options);
        _store = PromptStore.Create(url, options.BusyTimeout, options.CommandTimeout, nameof(options.Database));
        var records = new PromptRecordFactory(Namespace, new ContentPolicy(!options.MetadataOnly, options.RedactSecrets, options.Redact));
        var session = new StoreSession(_store, OpenStore(_store, _diagnostics));
        _writer = new BackgroundWriter(session, records, options, _diagnostics);
        if (Retention.RetentionRules.From(options) is { Count: > 0 } rules)
        {
            _retention = new Retention.BackgroundRetention(_store, rules, options.Time, options.RetentionInterval, _diagnostics, options.ShutdownTimeout);
        }

        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The namespace records are stored under unless a call names another.</summary>
    public string Namespace { get; }

    /// <summary>The prices that estimate costs in exports: the built-in table with <see cref="PromptLoggerOptions.PriceTable"/> on top.</summary>
    internal Pricing.PriceTable Prices { get; }

    /// <summary>The database URL this logger stores into, with any password masked (<c>postgresql://user:***@host/db</c>).</summary>
    /// <remarks>Safe to log: the password given in the URL is never returned.</remarks>
    public string Database { get; }

    /// <summary>What the logger has recorded, written and dropped so far, and how many records are waiting.</summary>
    /// <remarks>A consistent-enough snapshot for monitoring; the counters keep moving while it is read.</remarks>
    public PromptLoggerDiagnostics Diagnostics
    {
        get
        {
            var counters = _writer.Counters;
            return new PromptLoggerDiagnostics(
                counters.Recorded, counters.Written, counters.Dropped, counters.FailedBatches, _writer.QueueDepth, counters.Spooled, counters.Replayed, _writer.Held, _writer.Pending);
        }
    }

    /// <summary>Waits until every record captured before this call is stored (see <see cref="Flush(TimeSpan)"/>).</summary>
    /// <remarks>
    /// Blocks only the calling thread. A PostgreSQL server that does not answer holds it for up to
    /// <see cref="PromptLoggerOptions.CommandTimeout"/> per batch, after which the records are spooled.
    /// </remarks>
    public void Flush() => Flush(Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Waits, at most <paramref name="timeout"/>, until every record captured before this call is committed, or
    /// spooled while the database is unavailable, or — when neither the database nor the spool takes writes (a full
    /// or read-only disk) — held in memory after a failed attempt (<see cref="PromptLoggerDiagnostics.Held"/>).
    /// </summary>
    /// <param name="timeout">The longest to wait; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <returns>
    /// True when done; false when the timeout passed first: what is still pending is then in
    /// <see cref="PromptLoggerDiagnostics.Pending"/>, and a warning says so. The records are not lost: the writer
    /// keeps storing them.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or longer than 24 days.</exception>
    /// <exception cref="ObjectDisposedException">The logger is disposed.</exception>
    public bool Flush(TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (timeout != Timeout.InfiniteTimeSpan && (timeout < TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The flush timeout must be zero or positive and at most 24 days, or Timeout.InfiniteTimeSpan.");
        }

        // Streams whose enumerator was dropped unfinished (and reclaimed) are recorded now, so that this flush stores them.
        _liveStreams.SweepDropped();
        if (_writer.Flush(timeout))
        {
            return true;
        }

        Log.FlushTimedOut(_diagnostics, timeout, _writer.Pending, _writer.Held);
        return false;
    }

    /// <summary>Completes when every record captured before this call is stored (as <see cref="Flush(TimeSpan)"/>).</summary>
    /// <param name="cancellationToken">
    /// Stops waiting with an <see cref="OperationCanceledException"/>; the records are still stored, and what is
    /// pending is in <see cref="PromptLoggerDiagnostics.Pending"/>.
    /// </param>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _liveStreams.SweepDropped();
        return _writer.FlushAsync(cancellationToken);
    }

    /// <summary>Stores everything still queued, then closes the database.</summary>
    /// <remarks>
    /// Bounded by <see cref="PromptLoggerOptions.ShutdownTimeout"/>: past it, what the database has not taken goes to
    /// the spool, and records neither takes are dropped and reported.
    /// </remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        // A stream still running now (or dropped unfinished) could never be recorded later: it is stored as abandoned.
        _liveStreams.SweepAll();
        _retention?.Dispose();
        _writer.Dispose();
    }

    /// <summary>Stores everything still queued, then closes the database.</summary>
    public ValueTask DisposeAsync()
    {
        // The writer's drain is a wait on its own loop; nothing here needs the caller's context.
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Hands a captured call to the background writer. Never throws; never blocks unless
    /// <see cref="Durability.Immediate"/> was asked for (then it returns once the record is committed or spooled,
    /// bounded by <see cref="PromptLoggerOptions.ImmediateTimeout"/>) or <see cref="WhenFull.Wait"/> and the queue is
    /// full; either way it blocks only the calling thread.
    /// </summary>
    internal void Record(CapturedCall call)
    {
        if (_immediate)
        {
            _writer.EnqueueAndWait(call);
        }
        else
        {
            _writer.TryEnqueue(call);
        }
    }

    /// <summary>
    /// The asynchronous form of <see cref="Record"/>, for calls that end in a task: awaits durability or room instead
    /// of blocking a thread. Never throws.
    /// </summary>
    internal ValueTask RecordAsync(CapturedCall call) =>
        _mayWait ? _writer.EnqueueAsync(call, _immediate) : RecordNow(call);

    /// <summary>Whether <see cref="RecordAsync"/> may have to wait (Immediate durability, or Wait when full).</summary>
    internal bool RecordingMayWait => _mayWait;

    private ValueTask RecordNow(CapturedCall call)
    {
        _writer.TryEnqueue(call);
        return ValueTask.CompletedTask;
    }

    /// <summary>The background retention, when records are kept for a time only; tests look at its state.</summary>
    internal Retention.BackgroundRetention? BackgroundRetention => _retention;

    /// <summary>The background writer; tests look at its state.</summary>
    internal BackgroundWriter Writer => _writer;

    /// <summary>The streams of attached clients still running; tests look at it.</summary>
    internal LiveStreams LiveStreams => _liveStreams;

    /// <summary>Where interception reports captured calls.</summary>
    internal ICapturedCallSink Sink => _sink ??= new LoggerSink(this);

    /// <summary>
    /// Opens and migrates the store now, so that a wrong file, database or password fails the constructor with a
    /// clear error. A store that is merely unavailable (locked, read-only, on a full disk, a server that does not
    /// answer) does not: the writer opens it later and spools records meanwhile.
    /// </summary>
    private static DbConnection? OpenStore(PromptStore store, ILogger diagnostics)
    {
        DbConnection? connection = null;
        try
        {
            connection = store.OpenForWriting();
            store.Migrate(connection);
            return connection;
        }
        catch (Exception exception) when (store.AsWrongStore(exception) is { } wrong)
        {
            connection?.Dispose();
            throw wrong;
        }
        catch (Exception exception) when (store.IsUnavailable(exception))
        {
            connection?.Dispose();
            Log.StoreNotOpened(diagnostics, exception, store.DisplayName);
            return null;
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    private void ReportRecordingFailure(Exception exception) =>
        Log.RecordingFailed(_diagnostics, exception);

    private void OnProcessExit(object? sender, EventArgs e)
    {
        try
        {
            Dispose();
        }
#pragma warning disable CA1031 // At process exit there is nobody left to throw to; report and let the process end.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.ProcessExitFlushFailed(_diagnostics, exception);
        }
    }

    private sealed class LoggerSink(PromptLogger logger) : ICapturedCallSink
    {
        public bool RecordingMayWait => logger.RecordingMayWait;

        public LiveStreams LiveStreams => logger._liveStreams;

        public CallContext? Context => logger.CurrentScope;

        public void Record(CapturedCall call) => logger.Record(call);

        public ValueTask RecordAsync(CapturedCall call) => logger.RecordAsync(call);
    }
}
