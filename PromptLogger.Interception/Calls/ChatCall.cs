using PromptLogging.Interception.Conventions;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Calls;

/// <summary>
/// One call of a chat method in flight: its copied request and its timer. It is recorded exactly once — when the
/// result arrives, when the call throws, or, for a stream, when each enumeration ends.
/// </summary>
internal sealed class ChatCall
{
    private readonly ProxiedClient _client;
    private readonly ChatMethodPlan _plan;
    private readonly CallRequest _request;
    private readonly CallTimer _timer;
    private int _finished;
    private int _enumerations;

    public ChatCall(ProxiedClient client, ChatMethodPlan plan, CallRequest request, CallTimer timer)
    {
        _client = client;
        _plan = plan;
        _request = request;
        _timer = timer;
    }

    /// <summary>The request as the caller's thread copied it.</summary>
    public CallRequest Request => _request;

    /// <summary>
    /// Returns what the caller gets in place of <paramref name="returned"/>: the same object for a finished value, a
    /// task of the same type that completes after recording, or a stream wrapper. Never throws.
    /// </summary>
    public object? Complete(object? returned)
    {
        try
        {
            return _plan.Handler.Handle(returned, this);
        }
#pragma warning disable CA1031 // If observing the result fails, the caller still gets it untouched.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _client.ReportFailure(exception);
            return returned;
        }
    }

    /// <summary>Records the finished result; it is read later, off the caller's thread. Never throws.</summary>
    public void Succeed(object? result)
    {
        if (Succeeded(result) is { } pending)
        {
            _client.Record(pending);
        }
    }

    /// <summary>As <see cref="Succeed"/>, awaiting the sink when recording may wait. Never throws.</summary>
    public ValueTask SucceedAsync(object? result) =>
        Succeeded(result) is { } pending ? _client.RecordAsync(pending) : ValueTask.CompletedTask;

    /// <summary>Records the call as failed with <paramref name="error"/>. Never throws.</summary>
    public void Fail(Exception error)
    {
        if (Failed(error) is { } pending)
        {
            _client.Record(pending);
        }
    }

    /// <summary>As <see cref="Fail"/>, awaiting the sink when recording may wait. Never throws.</summary>
    public ValueTask FailAsync(Exception error) =>
        Failed(error) is { } pending ? _client.RecordAsync(pending) : ValueTask.CompletedTask;

    /// <summary>Whether recording may wait, so that a finished task must still be observed asynchronously.</summary>
    public bool RecordingMayWait => _client.RecordingMayWait;

    /// <summary>
    /// The record of a call that returned <paramref name="result"/>, or null when it is already recorded or its reader
    /// observes the rest of the result (a streamed body the caller is still reading) and records it when that ends.
    /// </summary>
    private PendingCall? Succeeded(object? result)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return null;
        }

        var reader = _plan.Reader;
        try
        {
            if (reader.ObservesRest(result, this))
            {
                return null;
            }
        }
#pragma warning disable CA1031 // If the rest cannot be observed, the call is recorded as it stands.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _client.ReportFailure(exception);
        }

        var retained = reader.Retain(result);
        return new PendingCall(_client, _request, reader, retained, null, null, _timer.StartedAt, _timer.Elapsed, stream: false, timeToFirstToken: null);
    }

    /// <summary>The record of a call that failed with <paramref name="error"/>, or null when it is already recorded.</summary>
    private PendingCall? Failed(Exception error) =>
        Interlocked.Exchange(ref _finished, 1) != 0
            ? null
            : new PendingCall(_client, _request, null, null, null, DescribeSafely(error), _timer.StartedAt, _timer.Elapsed, stream: _plan.Shape.IsStream() || _request.Stream, timeToFirstToken: null, StreamEnds.Of(error));

    /// <summary>
    /// Starts observing one enumeration of the streamed result. The first enumeration belongs to the call and its
    /// timer; a later one (which for the OpenAI SDK sends the request again) is timed from its own start.
    /// </summary>
    public StreamRecording<T> BeginStream<T>()
    {
        var timer = BeginEnumeration();
        StreamObserver<T> observer;
        try
        {
            observer = _plan.Reader.CreateStreamObserver<T>();
        }
#pragma warning disable CA1031 // Without an observer the stream is still recorded, only without its text.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _client.ReportFailure(exception);
            observer = new IgnoringStreamObserver<T>();
        }

        return new StreamRecording<T>(this, observer, timer);
    }

    /// <summary>The timer of one enumeration of a streamed result: the call's own for the first, a new one for a later one.</summary>
    public CallTimer BeginEnumeration() => Interlocked.Increment(ref _enumerations) == 1 ? _timer : CallTimer.Start();

    internal void RecordStream(Func<CallOutcome?> readOutcome, StreamEnd end, string? error, CallTimer timer, TimeSpan duration, double? timeToFirstToken)
    {
        Interlocked.Exchange(ref _finished, 1);
        _client.Record(new PendingCall(_client, _request, null, null, readOutcome, error, timer.StartedAt, duration, stream: true, timeToFirstToken, end));
    }

    internal ValueTask RecordStreamAsync(Func<CallOutcome?> readOutcome, StreamEnd end, string? error, CallTimer timer, TimeSpan duration, double? timeToFirstToken)
    {
        Interlocked.Exchange(ref _finished, 1);
        return _client.RecordAsync(new PendingCall(_client, _request, null, null, readOutcome, error, timer.StartedAt, duration, stream: true, timeToFirstToken, end));
    }

    /// <summary>The logger's registry of streams still running, which its Flush and Dispose sweep; null when the sink keeps none.</summary>
    internal LiveStreams? LiveStreams => _client.LiveStreams;

    internal void ReportFailure(Exception exception) => _client.ReportFailure(exception);

    internal static string DescribeSafely(Exception error)
    {
        try
        {
            return ErrorText.Describe(error);
        }
#pragma warning disable CA1031 // An exception whose Message getter throws is still recorded by type.
        catch
#pragma warning restore CA1031
        {
            return error.GetType().FullName ?? "Exception";
        }
    }
}
