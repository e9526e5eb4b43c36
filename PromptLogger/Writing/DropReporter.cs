using Microsoft.Extensions.Logging;
using PromptLogging.Diagnostics;

namespace PromptLogging.Writing;

/// <summary>
/// Reports dropped records as one summary per interval, from a timer on the <see cref="TimeProvider"/>: never on
/// the caller's thread, and never one log line per record, so that a flood of drops (or a slow
/// <see cref="ILogger"/>) costs the application nothing but an interlocked add per drop.
/// </summary>
internal sealed class DropReporter : IDisposable
{
    /// <summary>The default interval between two summaries.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger;
    private readonly TimeSpan _interval;
    private readonly ITimer _timer;
    private long _unreported;

    public DropReporter(ILogger logger, TimeProvider time, TimeSpan interval)
    {
        _logger = logger;
        _interval = interval;
        _timer = time.CreateTimer(static state => ((DropReporter)state!).Report(), this, interval, interval);
    }

    /// <summary>Counts <paramref name="count"/> dropped records for the next summary. Cheap and never blocks.</summary>
    public void Add(long count) => Interlocked.Add(ref _unreported, count);

    /// <summary>Logs one summary of the drops since the last one, if there were any.</summary>
    public void Report()
    {
        var count = Interlocked.Exchange(ref _unreported, 0);
        if (count == 0)
        {
            return;
        }

        try
        {
            Log.RecordsDropped(_logger, count, _interval);
        }
#pragma warning disable CA1031 // A failing logger must not crash a timer thread of the application.
        catch
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Stops the timer and reports what is left.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        Report();
    }
}
