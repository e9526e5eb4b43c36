using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PromptLogging.Diagnostics;
using PromptLogging.Interception;
using PromptLogging.Recording;
using PromptLogging.Storage;

namespace PromptLogging.Writing;

/// <summary>
/// The one background loop that stores captured calls: the caller's thread only enqueues; the loop converts,
/// batches and writes each batch in one transaction.
/// </summary>
/// <remarks>
/// <para>
/// Waking and lingering: see <see cref="WriterWake"/>.
/// </para>
/// <para>
/// Full-queue policy (<see cref="PromptLoggerOptions.QueueCapacity"/> calls waiting, or
/// <see cref="PromptLoggerOptions.MaxBufferedBytes"/> estimated bytes not yet committed or spooled): with
/// <see cref="WhenFull.Drop"/> a new call is dropped, counted, and reported in a summary per interval off the
/// caller's thread; with <see cref="WhenFull.Wait"/> its caller waits for room.
/// </para>
/// <para>
/// Store failures (locked, deleted, read-only, full, corrupt, unreachable, hung past the command timeout): the batch
/// goes to the <see cref="Spool"/> instead, the store is tried again with <see cref="Backoff"/>, and the spool is
/// replayed into it once it takes writes. When the spool cannot take the batch either (the same full or read-only
/// disk), the batch is held in memory, in order, and retried with the same backoff until one of them takes it; while
/// records are held, newer batches queue up behind them. Failures are reported through the logger and counters,
/// never thrown into the application.
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
    private readonly WriterWake _wake;
    private readonly Admission _admission;
    private readonly DropReporter _drops;
    private readonly WhenFull _whenFull;
    private readonly TimeSpan _immediateTimeout;
    private readonly TimeSpan _shutdownTimeout;
    private readonly Queue<PendingBatch> _held = new();
    private readonly Task _loop;
    private readonly int _hurryAt;
    private long _shutdownDeadlineTicks = long.MaxValue;
    private long _heldRecords;
    private long _pending;
    private bool _spoolPending;
    private int _disposed;

    /// <summary>Starts the loop; the writer now owns <paramref name="session"/> and <paramref name="records"/>.</summary>
    public BackgroundWriter(StoreSession session, PromptRecordFactory records, PromptLoggerOptions options, ILogger logger)
    {
        _session = session;
        _spool = new Spool(session.Store.SpoolPath, logger);
        _time = options.Time;
        _backoff = new Backoff(_time);
        _records = records;
        _batchSize = options.BatchSize;
        _hurryAt = Math.Max(1, Math.Min(options.BatchSize, options.QueueCapacity / 2));
        _logger = logger;
        _wake = new WriterWake(_time, options.Linger);
        _admission = new Admission(options.QueueCapacity, options.MaxBufferedBytes);
        _drops = new DropReporter(logger, _time, options.DropReportInterval);
        _whenFull = options.WhenFull;
        _immediateTimeout = options.ImmediateTimeout;
        _shutdownTimeout = options.ShutdownTimeout;
        _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        _loop = Task.Run(RunAsync);
    }

    public WriterCounters Counters { get; } = new();

    /// <summary>Records waiting for the loop now.</summary>
    public int QueueDepth => Math.Max(0, _admission.Items);

    /// <summary>Records held in memory because neither the store nor the spool took them (yet).</summary>
    public long Held => Interlocked.Read(ref _heldRecords);

    /// <summary>Whether the loop is asleep, waiting for a call to wake it.</summary>
    public bool IsIdle => _wake.IsIdle;

    /// <summary>Calls accepted and not yet committed, spooled or dropped: queued, being written, or held.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>
    /// Enqueues a call. With <see cref="WhenFull.Drop"/> never blocks: returns false (and counts a drop) when the queue
    /// is full or closed. With <see cref="WhenFull.Wait"/> blocks this thread until there is room.
    /// </summary>
    public bool TryEnqueue(CapturedCall call) => Admit(new WriteItem(call, null, CallSize.Estimate(call)), hurry: false);

    /// <summary>
    /// Enqueues a call and waits, blocking this thread only, until it is durable: committed, or spooled to disk when
    /// the store is unavailable — at most <see cref="PromptLoggerOptions.ImmediateTimeout"/>. This is what
    /// <see cref="Durability.Immediate"/> asks for on a synchronous path.
    /// </summary>
    public void EnqueueAndWait(CapturedCall call)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Admit(new WriteItem(call, stored, CallSize.Estimate(call)), hurry: true) && !stored.Task.Wait(_immediateTimeout))
        {
            ImmediateTimedOut();
        }
    }

    /// <summary>
    /// The asynchronous path: enqueues a call, awaiting room with <see cref="WhenFull.Wait"/>, and with
    /// <paramref name="immediate"/> awaits its durability (at most <see cref="PromptLoggerOptions.ImmediateTimeout"/>),
    /// without blocking a thread. Never throws.
    /// </summary>
    public async ValueTask EnqueueAsync(CapturedCall call, bool immediate)
    {
        var stored = immediate ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        var item = new WriteItem(call, stored, CallSize.Estimate(call));
        if (!TryAdmitNow(item, immediate, out var full))
        {
            if (!full || _whenFull == WhenFull.Drop || !await _admission.ReserveAsync(item.Bytes).ConfigureAwait(false))
            {
                Drop(1);
                return;
            }

            if (!Write(item, immediate))
            {
                return;
            }
        }

        if (stored is null)
        {
            return;
        }

        try
        {
            await stored.Task.WaitAsync(_immediateTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            ImmediateTimedOut();
        }
    }

    /// <summary>
    /// Completes when everything enqueued before the call was attempted: committed, spooled, or — when neither the
    /// store nor the spool took it — held in memory for a retry (see <see cref="Held"/>).
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var attempted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new WriteItem(null, attempted, 0)))
        {
            // Disposed: the loop drains whatever was enqueued before it closed.
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        _wake.Wake(hurry: true);
        await attempted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits, blocking this thread only, as <see cref="FlushAsync"/> does, for at most <paramref name="timeout"/>.
    /// </summary>
    /// <returns>False when the timeout passed first (what is pending is in <see cref="QueueDepth"/> and <see cref="Held"/>).</returns>
    public bool Flush(TimeSpan timeout)
    {
        var attempted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new WriteItem(null, attempted, 0)))
        {
            return _loop.Wait(timeout);
        }

        _wake.Wake(hurry: true);
        return attempted.Task.Wait(timeout);
    }

    /// <summary>
    /// Closes the queue and waits for the loop to store everything already enqueued, then closes the file. Records
    /// the store still does not take after <see cref="PromptLoggerOptions.ShutdownTimeout"/> go to the spool; records
    /// neither takes by then are dropped, counted and reported.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _shutdownDeadlineTicks, (_time.GetUtcNow() + _shutdownTimeout).UtcTicks);
        _queue.Writer.TryComplete();
        _admission.Close();
        _wake.Wake(hurry: true);
        _loop.GetAwaiter().GetResult();
        _session.Dispose();
        _records.Dispose();
        _drops.Dispose();
    }

    private bool Admit(WriteItem item, bool hurry)
    {
        if (TryAdmitNow(item, hurry, out var full))
        {
            return true;
        }

        if (!full || _whenFull == WhenFull.Drop || !_admission.Reserve(item.Bytes))
        {
            Drop(1);
            return false;
        }

        return Write(item, hurry);
    }

    /// <summary>The non-blocking attempt; <paramref name="full"/> tells a full queue from a closed one.</summary>
    private bool TryAdmitNow(WriteItem item, bool hurry, out bool full)
    {
        if (_admission.TryReserve(item.Bytes))
        {
            full = false;
            return Write(item, hurry);
        }

        full = !_admission.IsClosed;
        return false;
    }

    /// <summary>Writes an item whose room is reserved.</summary>
    private bool Write(WriteItem item, bool hurry)
    {
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite(item))
        {
            Counters.AddRecorded();
            _wake.Wake(hurry || _admission.Items >= _hurryAt);
            return true;
        }

        Interlocked.Decrement(ref _pending);
        _admission.ReleaseItems(1);
        _admission.ReleaseBytes(item.Bytes);
        Drop(1);
        return false;
    }

    private void Drop(int count)
    {
        Counters.AddDropped(count);
        _drops.Add(count);
    }

    private void ImmediateTimedOut()
    {
        try
        {
            Log.ImmediateTimedOut(_logger, _immediateTimeout, Held);
        }
#pragma warning disable CA1031 // The caller of the model must not see the logger's failure.
        catch
#pragma warning restore CA1031
        {
        }
    }

    private bool PastShutdownDeadline =>
        _time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _shutdownDeadlineTicks);

    private async Task RunAsync()
    {
        _spoolPending = SafeHasPending();
        var reader = _queue.Reader;
        var batch = new PendingBatch(_batchSize);
        var attempted = new List<TaskCompletionSource>();
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
                    await _wake.LingerAsync().ConfigureAwait(false);
                }

                continue;
            }

            if ((_spoolPending || _held.Count > 0) && !_backoff.IsWaiting)
            {
                Retry();
            }

            var taken = 0;
            while (batch.Records.Count < _batchSize && reader.TryRead(out var item))
            {
                if (item.Call is { } call)
                {
                    taken++;
                    batch.Calls++;
                    batch.Bytes += item.Bytes;
                    AddRecord(batch.Records, call);
                    if (item.Stored is { } durable)
                    {
                        batch.Durable.Add(durable);
                    }
                }
                else if (item.Stored is { } marker)
                {
                    attempted.Add(marker);
                }
            }

            _admission.ReleaseItems(taken);
            if (!batch.IsEmpty)
            {
                if (Deliver(batch))
                {
                    batch.Clear();
                }
                else
                {
                    batch = new PendingBatch(_batchSize); // the old one is held
                }
            }

            foreach (var marker in attempted)
            {
                marker.TrySetResult();
            }

            attempted.Clear();
        }

        await ShutDownAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Waits, idle, until a call wakes the loop; while a spool or held records wait, also wakes up to retry them.
    /// </summary>
    /// <returns>Whether to linger before writing: not when work turned up before the loop went to sleep.</returns>
    private async Task<bool> WaitForWorkAsync(ChannelReader<WriteItem> reader)
    {
        if (!_wake.GoIdle(() => reader.TryPeek(out _) || reader.Completion.IsCompleted))
        {
            return false;
        }

        while ((_spoolPending || _held.Count > 0) && !_wake.IsWoken)
        {
            if (!await _wake.WaitAsync(_backoff.UntilRetry).ConfigureAwait(false) && !_backoff.IsWaiting)
            {
                Retry();
            }
        }

        await _wake.WaitAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Stores or spools <paramref name="batch"/>, in order behind any held records; returns false when it is now
    /// held (neither took it), true when it is done with.
    /// </summary>
    private bool Deliver(PendingBatch batch)
    {
        if (_held.Count == 0 && TryStoreOrSpool(batch))
        {
            Done(batch);
            return true;
        }

        Hold(batch);
        return false;
    }

    /// <summary>Tries the held batches (after replaying the spool, which is older) in order.</summary>
    private void Retry()
    {
        if (_spoolPending)
        {
            ReplaySpool();
        }

        var stored = 0L;
        while (_held.TryPeek(out var batch))
        {
            if (!TryStoreOrSpool(batch))
            {
                return;
            }

            _held.Dequeue();
            Interlocked.Add(ref _heldRecords, -batch.Records.Count);
            stored += batch.Records.Count;
            Done(batch);
        }

        if (stored > 0)
        {
            Log.HeldRecordsWritten(_logger, stored);
        }
    }

    private bool TryStoreOrSpool(PendingBatch batch)
    {
        var records = batch.Records;
        if (records.Count == 0)
        {
            return true;
        }

        // While the store is known to be down, or older records wait in the spool, new ones join the spool:
        // trying the store for every batch would stall the queue, and writing around the spool would reorder.
        if (!_backoff.IsWaiting && !_spoolPending && !PastShutdownDeadline)
        {
            try
            {
                _session.Insert(records);
                Counters.AddWritten(records.Count);
                _backoff.Succeeded();
                return true;
            }
#pragma warning disable CA1031 // Storage failures are reported and spooled, never thrown: the loop must keep serving the application.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                var delay = _backoff.Failed();
                Counters.AddFailedBatch();
                Log.StoreUnavailable(_logger, exception, _session.Store.DisplayName, records.Count, _spool.OwnFile, delay);
            }
        }

        try
        {
            _spool.Append(records);
            Counters.AddSpooled(records.Count);
            _spoolPending = true;
            return true;
        }
#pragma warning disable CA1031 // Nowhere to put them now: hold them in memory and try again later.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            if (!_backoff.IsWaiting)
            {
                _backoff.Failed();
            }

            if (_held.Count == 0)
            {
                // Once per episode: the batches after it are held without a word until the store or spool is back.
                Log.HoldingInMemory(_logger, exception, records.Count, _spool.OwnFile, _admission.Bytes);
            }

            return false;
        }
    }

    private void Hold(PendingBatch batch)
    {
        _held.Enqueue(batch);
        Interlocked.Add(ref _heldRecords, batch.Records.Count);
    }

    /// <summary>The batch is committed or spooled (or definitively lost): its room and its callers are released.</summary>
    private void Done(PendingBatch batch)
    {
        _admission.ReleaseBytes(batch.Bytes);
        Interlocked.Add(ref _pending, -batch.Calls);
        batch.Release();
    }

    /// <summary>
    /// The queue is closed and drained: keeps retrying held records until <see cref="PromptLoggerOptions.ShutdownTimeout"/>,
    /// then counts and reports what is left as dropped; replays the spool one last time.
    /// </summary>
    private async Task ShutDownAsync()
    {
        while (_held.Count > 0)
        {
            var left = new DateTimeOffset(Interlocked.Read(ref _shutdownDeadlineTicks), TimeSpan.Zero) - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                var lost = 0;
                while (_held.TryDequeue(out var batch))
                {
                    lost += batch.Records.Count;
                    Interlocked.Add(ref _heldRecords, -batch.Records.Count);
                    Done(batch);
                }

                Drop(lost);
                Log.HeldRecordsLost(_logger, lost, _shutdownTimeout);
                break;
            }

            if (_backoff.IsWaiting)
            {
                var wait = _backoff.UntilRetry < left ? _backoff.UntilRetry : left;
                await Task.Delay(wait, _time).ConfigureAwait(false);
                continue;
            }

            Retry();
        }

        // Last chance before the process goes: a store that came back takes the spool now.
        if (_spoolPending && !PastShutdownDeadline)
        {
            ReplaySpool();
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
            Drop(1);
            Log.ConversionFailed(_logger, exception);
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
