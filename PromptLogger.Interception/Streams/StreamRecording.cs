using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Streams;

/// <summary>
/// One enumeration of a streamed result: times the first update, lets the observer see each update, and records
/// the call once, with how it ended: read to the end, disposed early (or dropped, found by <see cref="LiveStreams"/>),
/// cancelled, or faulted.
/// </summary>
internal sealed class StreamRecording<T> : LiveStream, IStreamEnd
{
    private readonly CapturedCall _call;
    private readonly StreamObserver<T> _observer;
    private double? _timeToFirstToken;
    private bool _observerFailed;
    private int _ended;

    /// <param name="call">The call this enumeration records (see <see cref="CapturedCall.Enumeration"/>), timed from its start.</param>
    /// <param name="observer">Sees each update.</param>
    public StreamRecording(CapturedCall call, StreamObserver<T> observer)
    {
        _call = call;
        _observer = observer;
    }

    /// <summary>
    /// Notes an update on its way to the caller; the first that carries content (text, a tool call, a refusal) times
    /// the first token. Never throws.
    /// </summary>
    public void OnUpdate(T update)
    {
        if (Volatile.Read(ref _ended) != 0)
        {
            // Recorded already (the logger closed while the caller kept reading): the observer is being read on the writer.
            return;
        }

        var content = true;
        if (!_observerFailed)
        {
            // Locked against the writer reading the observer: a logger closing (or a Flush finding the stream dropped)
            // records it as abandoned while the caller may still be reading. Uncontended, the lock costs nanoseconds.
            lock (_observer)
            {
                if (Volatile.Read(ref _ended) != 0)
                {
                    return;
                }

                try
                {
                    content = _observer.Observe(update);
                }
#pragma warning disable CA1031 // An update PromptLogger cannot read must not break the caller's stream.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    _observerFailed = true;
                    _call.ReportFailure(exception);
                }
            }
        }

        if (content)
        {
            _timeToFirstToken ??= _call.Elapsed.TotalSeconds;
        }
    }

    /// <summary>Records the enumeration, ended as <paramref name="end"/> (with <paramref name="error"/> when it faulted). Only the first call counts. Never throws.</summary>
    public void OnEnd(StreamEnd end, Exception? error)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        Untrack();
        var (readOutcome, description, duration) = Ending(error);
        _call.RecordStream(readOutcome, end, description, duration, _timeToFirstToken);
    }

    public bool RecordingMayWait => _call.RecordingMayWait;

    /// <summary>As <see cref="OnEnd"/>, awaiting the sink when recording may wait. Never throws.</summary>
    public ValueTask OnEndAsync(StreamEnd end, Exception? error)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        Untrack();
        var (readOutcome, description, duration) = Ending(error);
        return _call.RecordStreamAsync(readOutcome, end, description, duration, _timeToFirstToken);
    }

    public void Track(object owner) => Track(_call, owner);

    public override bool HasEnded => Volatile.Read(ref _ended) != 0;

    public override void Abandon() => OnEnd(StreamEnd.Abandoned, null);

    private (Func<CallOutcome?> ReadOutcome, string? Error, TimeSpan Duration) Ending(Exception? error)
    {
        var duration = _call.Elapsed;
        // The updates were noted as they passed; assembling them is left to the background writer.
        var observer = _observer;
        return (
            () =>
            {
                var outcome = new CallOutcome();
                lock (observer)
                {
                    observer.Finish(outcome);
                }

                return outcome;
            },
            error is null ? null : CapturedCall.DescribeSafely(error),
            duration);
    }
}
