using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PromptLogging.Diagnostics;
using PromptLogging.Interception;
using PromptLogging.Recording;
using PromptLogging.Storage;

namespace PromptLogging.Writing;

/// <summary>
/// The one background loop that stores captured calls: the caller's thread only enqueues (never blocks);
/// the loop converts, batches and writes each batch in one transaction.
/// </summary>
/// <remarks>
/// <para>
/// Waking the loop costs the thread that wakes it a few microseconds, so a call only wakes it when it was idle, and
/// the loop then lingers up to <see cref="Linger"/> for more calls before it writes: at any rate, the callers pay
/// for at most one wake-up per <see cref="Linger"/>. A full batch waiting, a flush, an immediate-durability call
/// or disposal cut the lingering short.
/// </para>
/// <para>
/// Full-queue policy: when <see cref="PromptLoggerOptions.QueueCapacity"/> calls are waiting, a new call is
/// dropped (counted and reported), never blocking the caller.
/// </para>
/// <para>
/// Store failures (locked, deleted, read-only, full, corrupt, unreachable): the batch goes to the <see cref="Spool"/>
/// (beside a SQLite file, in a local folder for a server database) instead of being lost, the store is tried again
/// with <see cref="Backoff"/>, and the spool is replayed into it once it takes writes. Failures are reported through the logger and counters, never thrown into the
/// application.
/// </para>
/// </remarks>
internal sealed class BackgroundWriter : IDisposable
{
    private readonly Channel<WriteItem> _queue;
    private readonly StoreSession _session;
    private readonly Spool _spool;
    private readonly Backoff _backoff;
    private readonly PromptRecordFactory _records;
    private readonly int _batchSize;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Task _loop;
    private readonly WakeSignal _work = new();
    private readonly WakeSignal _hurry = new();
    private readonly int _hurryAt;
    private bool _spoolPending;
    private int _disposed;
    private int _idle;

    /// <summary>How long the loop, woken by a call, waits for more before writing (unless hurried).</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(10);

    /// <summary>Starts the loop; the writer now owns <paramref name="session"/> and <paramref name="records"/>.</summary>
    public BackgroundWriter(StoreSession session, PromptRecordFactory records, int queueCapacity, int batchSize, ILogger logger, TimeProvider time)
    {
        _session = session;
        _spool = new Spool(session.Store.SpoolPath, logger);
        _backoff = new Backoff(time);
        _records = records;
        _batchSize = batchSize;
        _hurryAt = Math.Max(1, Math.Min(batchSize, queueCapacity / 2));
        _logger = logger;
        _time = time;
        _queue = Channel.CreateBounded<WriteItem>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    public WriterCounters Counters { get; } = new();

    /// <summary>Records waiting for the loop now.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Enqueues a call without blocking; returns false (and counts a drop) when the queue is full or closed.</summary>
    public bool TryEnqueue(CapturedCall call) => TryEnqueue(new WriteItem(call, null), hurry: false);

    /// <summary>
    /// Enqueues a call and waits until it is durable: committed, or spooled to disk when the store is unavailable.
    /// This is what <see cref="Durability.Immediate"/> asks for.
    /// </summary>
    public void EnqueueAndWait(CapturedCall call)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (TryEnqueue(new WriteItem(call, stored), hurry: true))
        {
            stored.Task.GetAwaiter().GetResult();
        }
    }

    /// <summary>Completes when everything enqueued before the call is stored or spooled (or has definitively failed).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(new WriteItem(null, stored), cancellationToken).ConfigureAwait(false);
            Wake(hurry: true);
        }
        catch (ChannelClosedException)
        {
            // Disposed: the loop drains whatever was enqueued before it closed.
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await stored.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the queue, waits for the loop to store everything already enqueued, then closes the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        Wake(hurry: true);
        _loop.GetAwaiter().GetResult();
        _session.Dispose();
        _records.Dispose();
    }

    private bool TryEnqueue(WriteItem item, bool hurry)
    {
        if (_queue.Writer.TryWrite(item))
        {
            Counters.AddRecorded();
            Wake(hurry || _queue.Reader.Count >= _hurryAt);
            return true;
        }

        Counters.AddDropped();
        Log.RecordDropped(_logger);
        return false;
    }

    /// <summary>Wakes the loop if it is idle (one caller pays for that, the others find it awake); hurries it if asked.</summary>
    private void Wake(bool hurry)
    {
        if (hurry)
        {
            _hurry.Set();
        }

        // A full fence between what the caller just did to the queue and the read of _idle (the loop fences the
        // other way, between announcing idleness and looking at the queue): one of the two sees the other.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _idle) != 0 && Interlocked.Exchange(ref _idle, 0) != 0)
        {
            _work.Set();
        }
    }

    private async Task RunAsync()
    {
        _spoolPending = SafeHasPending();
        var reader = _queue.Reader;
        var batch = new List<PromptRecord>(_batchSize);
        var waiters = new List<TaskCompletionSource>();
        while (true)
        {
            if (!reader.TryPeek(out _))
            {
                if (reader.Completion.IsCompleted)
                {
                    break;
                }

                if (await WaitForWorkAsync(reader).ConfigureAwait(false))
                {
                    await LingerAsync().ConfigureAwait(false);
                }

                continue;
            }

            if (_spoolPending && !_backoff.IsWaiting)
            {
                ReplaySpool();
            }

            while (batch.Count < _batchSize && reader.TryRead(out var item))
            {
                if (item.Call is { } call)
                {
                    AddRecord(batch, call);
                }

                if (item.Stored is { } stored)
                {
                    waiters.Add(stored);
                }
            }

            if (batch.Count > 0)
            {
                Store(batch);
            }

            foreach (var waiter in waiters)
            {
                waiter.TrySetResult();
            }

            batch.Clear();
            waiters.Clear();
        }

        // Last chance before the process goes: a store that came back takes the spool now.
        if (_spoolPending)
        {
            ReplaySpool();
        }
    }

    /// <summary>
    /// Waits, idle, until a call wakes the loop; while a spool waits to be replayed, also wakes up to retry the store.
    /// </summary>
    /// <returns>Whether to linger before writing: not when work turned up before the loop went to sleep.</returns>
    private async Task<bool> WaitForWorkAsync(ChannelReader<WriteItem> reader)
    {
        _work.Reset();
        _hurry.Reset();
        // A full fence between announcing idleness and looking at the queue (callers fence the other way).
        Interlocked.Exchange(ref _idle, 1);
        if (reader.TryPeek(out _) || reader.Completion.IsCompleted)
        {
            Interlocked.Exchange(ref _idle, 0);
            return false;
        }

        while (_spoolPending && !_work.IsSet)
        {
            await Task.WhenAny(_work.Task, Task.Delay(_backoff.UntilRetry, _time)).ConfigureAwait(false);
            if (!_work.IsSet && !_backoff.IsWaiting)
            {
                ReplaySpool();
            }
        }

        await _work.Task.ConfigureAwait(false);
        return true;
    }

    /// <summary>Gives a batch <see cref="Linger"/> to gather, unless something hurries the loop.</summary>
    private async Task LingerAsync()
    {
        if (!_hurry.IsSet)
        {
            await Task.WhenAny(_hurry.Task, Task.Delay(Linger)).ConfigureAwait(false);
        }
    }

    private void AddRecord(List<PromptRecord> batch, CapturedCall call)
    {
        try
        {
            batch.Add(_records.Create(call));
        }
#pragma warning disable CA1031 // A call that cannot be converted must not stop the loop that stores all the others.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Counters.AddDropped();
            Log.ConversionFailed(_logger, exception);
        }
    }

    private void Store(List<PromptRecord> batch)
    {
        // While the store is known to be down, or older records wait in the spool, new ones join the spool:
        // trying the store for every batch would stall the queue, and writing around the spool would reorder.
        if (!_backoff.IsWaiting && !_spoolPending)
        {
            try
            {
                _session.Insert(batch);
                Counters.AddWritten(batch.Count);
                _backoff.Succeeded();
                return;
            }
#pragma warning disable CA1031 // Storage failures are reported and spooled, never thrown: the loop must keep serving the application.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                var delay = _backoff.Failed();
                Counters.AddFailedBatch();
                Log.StoreUnavailable(_logger, exception, _session.Store.DisplayName, batch.Count, _spool.OwnFile, delay);
            }
        }

        SpoolBatch(batch);
    }

    private void SpoolBatch(List<PromptRecord> batch)
    {
        try
        {
            _spool.Append(batch);
            Counters.AddSpooled(batch.Count);
            _spoolPending = true;
        }
#pragma warning disable CA1031 // Nowhere left to put them: count and report the loss rather than crash the application.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Counters.AddDropped(batch.Count);
            Log.SpoolFailed(_logger, exception, batch.Count, _spool.OwnFile);
        }
    }

    private void ReplaySpool()
    {
        try
        {
            var replayed = _spool.Replay(_session.Insert, _batchSize);
            Counters.AddWritten(replayed);
            Counters.AddReplayed(replayed);
            _spoolPending = false;
            _backoff.Succeeded();
            if (replayed > 0)
            {
                Log.SpoolReplayed(_logger, replayed, _session.Store.DisplayName);
            }
        }
#pragma warning disable CA1031 // The store is still unavailable: keep the spool and try again later.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var delay = _backoff.Failed();
            Log.ReplayFailed(_logger, exception, _session.Store.DisplayName, delay);
        }
    }

    private bool SafeHasPending()
    {
        try
        {
            return _spool.HasPending;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
