using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using PromptLogging.Diagnostics;
using PromptLogging.Export;
using PromptLogging.Storage;

namespace PromptLogging.Retention;

/// <summary>
/// Deletes a long-running logger's old records (<see cref="PromptLoggerOptions.RetainFor"/>): at start, then every
/// <see cref="DefaultInterval"/>, on a pool thread with a connection of its own, never on a caller's path nor on the
/// background writer's.
/// </summary>
/// <remarks>
/// Each pass runs <see cref="RecordPurge"/> per namespace and record kind (batches of their own transaction, so the
/// writer waits for one batch at most), then the SQLite <c>incremental_vacuum</c> when the file has incremental
/// auto-vacuum. Failures are logged and tried again at the next pass, never thrown. Passes never overlap. Dispose
/// cancels a pass in progress (it stops between batches) and waits for it briefly — <see cref="StopTimeout"/> at most,
/// less when the logger's <see cref="PromptLoggerOptions.ShutdownTimeout"/> is shorter; a pass still in its batch
/// then ends on its own, quietly, and releases what it holds.
/// </remarks>
internal sealed class BackgroundRetention : IDisposable
{
    /// <summary>How often old records are looked for.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(1);

    /// <summary>How long dispose waits at most for a pass in progress to stop between two batches.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly PromptStore _store;
    private readonly IReadOnlyDictionary<string, TimeSpan> _rules;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly TimeSpan _stopTimeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private Task _pass = Task.CompletedTask;
    private bool _disposed;

    public BackgroundRetention(PromptStore store, IReadOnlyDictionary<string, TimeSpan> rules, TimeProvider time, TimeSpan interval, ILogger logger, TimeSpan shutdownTimeout)
    {
        _stopTimeout = shutdownTimeout < StopTimeout ? shutdownTimeout : StopTimeout;
        _store = store;
        _rules = rules;
        _time = time;
        _interval = interval;
        _logger = logger;
        // The first pass at once, but off this thread: the timer's callback only starts a pass on the pool. Set going
        // only once the field is assigned: the pass sets the timer again when it ends.
        _timer = time.CreateTimer(_ => Start(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Records deleted by the passes so far; tests and diagnostics read it.</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>Passes finished so far (with or without a failure).</summary>
    public int Passes => Volatile.Read(ref _passes);

    /// <summary>Whether a pass is running now; tests read it.</summary>
    public bool Running
    {
        get
        {
            lock (_gate)
            {
                return !_pass.IsCompleted;
            }
        }
    }

    private long _deleted;
    private int _passes;

    public void Dispose()
    {
        Task pass;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            pass = _pass;
        }

        _stop.Cancel();
        _timer.Dispose();
        // The pass never throws (it logs), so the wait only ever times out. The source is disposed once no pass can
        // read it any more: now, or when the pass still in its batch ends.
        if (pass.Wait(_stopTimeout))
        {
            _stop.Dispose();
        }
        else
        {
            pass.ContinueWith(_ => _stop.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private void Start()
    {
        lock (_gate)
        {
            if (_disposed || !_pass.IsCompleted)
            {
                return;
            }

            // Read under the lock, while the source cannot be disposed: the pass never touches the source itself.
            var stop = _stop.Token;
            _pass = Task.Run(() => RunPass(stop));
        }
    }

    private void RunPass(CancellationToken stop)
    {
        try
        {
            using var connection = _store.OpenExistingForWriting();
            var now = _time.GetUtcNow();
            foreach (var (ns, keep) in _rules)
            {
                var result = new PurgeResult(0, 0);
                foreach (var kind in (string[])[PromptRecord.ChatKind, PromptRecord.TextKind])
                {
                    stop.ThrowIfCancellationRequested();
                    var filter = new ExportFilter(ns, null) { Kind = kind, Until = now - keep };
                    var purged = RecordPurge.Run(connection, _store.Url.Kind, filter, waitForIndex: false, cancellationToken: stop);
                    result = new PurgeResult(result.Records + purged.Records, result.Models + purged.Models);
                }

                if (result.Records > 0)
                {
                    Interlocked.Add(ref _deleted, result.Records);
                    Log.RetentionPurged(_logger, result.Records, keep, ns, _store.DisplayName, result.Models);
                }
            }

            stop.ThrowIfCancellationRequested();
            if (_store.Url.Kind == DatabaseKind.Sqlite && connection.ExecuteScalar<long>("PRAGMA auto_vacuum") == 2)
            {
                connection.Execute("PRAGMA incremental_vacuum");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // The application must never see the retention's failure: it is logged and retried.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.RetentionFailed(_logger, exception, _store.DisplayName, _interval);
        }

        lock (_gate)
        {
            if (!_disposed)
            {
                _timer.Change(_interval, Timeout.InfiniteTimeSpan);
            }
        }

        // After the timer is set again: a test that sees the pass done may move the clock to the next one.
        Interlocked.Increment(ref _passes);
    }
}
