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
/// auto-vacuum. Failures are logged and tried again at the next pass, never thrown. Passes never overlap; dispose
/// stops one in progress between batches.
/// </remarks>
internal sealed class BackgroundRetention : IDisposable
{
    /// <summary>How often old records are looked for.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(1);

    // How long dispose waits for a pass in progress to stop between two batches.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly PromptStore _store;
    private readonly IReadOnlyDictionary<string, TimeSpan> _rules;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private Task _pass = Task.CompletedTask;
    private bool _disposed;

    public BackgroundRetention(PromptStore store, IReadOnlyDictionary<string, TimeSpan> rules, TimeProvider time, TimeSpan interval, ILogger logger)
    {
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
        try
        {
            pass.Wait(StopTimeout);
        }
        catch (AggregateException)
        {
            // Reported by the pass itself.
        }

        _stop.Dispose();
    }

    private void Start()
    {
        lock (_gate)
        {
            if (_disposed || !_pass.IsCompleted)
            {
                return;
            }

            _pass = Task.Run(RunPass);
        }
    }

    private void RunPass()
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
                    var filter = new ExportFilter(ns, null) { Kind = kind, Until = now - keep };
                    var purged = RecordPurge.Run(connection, _store.Url.Kind, filter, waitForIndex: false, cancellationToken: _stop.Token);
                    result = new PurgeResult(result.Records + purged.Records, result.Models + purged.Models);
                }

                if (result.Records > 0)
                {
                    Interlocked.Add(ref _deleted, result.Records);
                    Log.RetentionPurged(_logger, result.Records, keep, ns, _store.DisplayName, result.Models);
                }
            }

            if (_store.Url.Kind == DatabaseKind.Sqlite && connection.ExecuteScalar<long>("PRAGMA auto_vacuum") == 2)
            {
                connection.Execute("PRAGMA incremental_vacuum");
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
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
