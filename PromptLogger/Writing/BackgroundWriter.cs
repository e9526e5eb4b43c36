using System.Threading.Channels;
using Microsoft.Data.Sqlite;
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
/// Full-queue policy: when <see cref="PromptLoggerOptions.QueueCapacity"/> calls are waiting, a new call is
/// dropped (counted and reported), never blocking the caller. Failures are reported through the logger and
/// counters, never thrown into the application.
/// </remarks>
internal sealed class BackgroundWriter : IDisposable
{
    private static readonly TimeSpan[] RetryDelays =
        [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1000)];

    private readonly Channel<WriteItem> _queue;
    private readonly SqliteConnection _connection;
    private readonly PromptBatchInserter _inserter;
    private readonly PromptRecordFactory _records;
    private readonly int _batchSize;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private int _disposed;

    /// <summary>Starts the loop over an open, migrated connection; the writer now owns it and <paramref name="records"/>.</summary>
    public BackgroundWriter(SqliteConnection connection, PromptRecordFactory records, int queueCapacity, int batchSize, ILogger logger)
    {
        _connection = connection;
        _inserter = new PromptBatchInserter(connection);
        _records = records;
        _batchSize = batchSize;
        _logger = logger;
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
    /// Enqueues a call and waits until it is committed (or has definitively failed). Blocks the caller for one
    /// commit: this is what <see cref="Durability.Immediate"/> asks for.
    /// </summary>
    public void EnqueueAndWait(CapturedCall call)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (TryEnqueue(new WriteItem(call, stored)))
        {
            stored.Task.GetAwaiter().GetResult();
        }
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

    /// <summary>Completes when everything enqueued before the call is stored (or has definitively failed).</summary>
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
        _inserter.Dispose();
        _records.Dispose();
        _connection.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PromptRecord>(_batchSize);
        var waiters = new List<TaskCompletionSource>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
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
                await WriteWithRetryAsync(batch).ConfigureAwait(false);
            }

            foreach (var waiter in waiters)
            {
                waiter.TrySetResult();
            }

            batch.Clear();
            waiters.Clear();
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

    private async Task WriteWithRetryAsync(List<PromptRecord> batch)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                _inserter.Insert(batch);
                Counters.AddWritten(batch.Count);
                return;
            }
#pragma warning disable CA1031 // Storage failures are reported, never thrown: the loop must keep serving the application.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                if (attempt < RetryDelays.Length)
                {
                    Log.BatchRetrying(_logger, exception, batch.Count, attempt + 1);
                    await Task.Delay(RetryDelays[attempt]).ConfigureAwait(false);
                    continue;
                }

                Counters.AddFailedBatch();
                Counters.AddDropped(batch.Count);
                Log.BatchFailed(_logger, exception, batch.Count, _connection.DataSource);
                return;
            }
        }
    }
}
