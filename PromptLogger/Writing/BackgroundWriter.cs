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
    private bool _spoolPending;
    private int _disposed;

    /// <summary>Starts the loop; the writer now owns <paramref name="session"/> and <paramref name="records"/>.</summary>
    public BackgroundWriter(StoreSession session, PromptRecordFactory records, int queueCapacity, int batchSize, ILogger logger, TimeProvider time)
    {
        _session = session;
        _spool = new Spool(session.Store.SpoolPath);
        _backoff = new Backoff(time);
        _records = records;
        _batchSize = batchSize;
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
    public bool TryEnqueue(CapturedCall call) => TryEnqueue(new WriteItem(call, null));

    /// <summary>
    /// Enqueues a call and waits until it is durable: committed, or spooled to disk when the store is unavailable.
    /// This is what <see cref="Durability.Immediate"/> asks for.
    /// </summary>
    public void EnqueueAndWait(CapturedCall call)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (TryEnqueue(new WriteItem(call, stored)))
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
        _loop.GetAwaiter().GetResult();
        _session.Dispose();
        _records.Dispose();
    }

    private bool TryEnqueue(WriteItem item)
    {
        if (_queue.Writer.TryWrite(item))
        {
            Counters.AddRecorded();
            return true;
        }

        Counters.AddDropped();
        Log.RecordDropped(_logger);
        return false;
    }

    private async Task RunAsync()
    {
        _spoolPending = SafeHasPending();
        var reader = _queue.Reader;
        var batch = new List<PromptRecord>(_batchSize);
        var waiters = new List<TaskCompletionSource>();
        while (await WaitForWorkAsync(reader).ConfigureAwait(false))
        {
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

    /// <summary>Waits for records; while a spool waits to be replayed, also wakes up to retry the store.</summary>
    private async ValueTask<bool> WaitForWorkAsync(ChannelReader<WriteItem> reader)
    {
        if (!_spoolPending)
        {
            return await reader.WaitToReadAsync().ConfigureAwait(false);
        }

        var waiting = reader.WaitToReadAsync().AsTask();
        while (_spoolPending && !waiting.IsCompleted)
        {
            await Task.WhenAny(waiting, Task.Delay(_backoff.UntilRetry, _time)).ConfigureAwait(false);
            if (!waiting.IsCompleted && !_backoff.IsWaiting)
            {
                ReplaySpool();
            }
        }

        return await waiting.ConfigureAwait(false);
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
