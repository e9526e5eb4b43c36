using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Conventions;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception;

/// <summary>
/// One call to a language model, and the one record of it from the proxy that saw it to the writer that stores it:
/// the request (or the snapshot of it the caller's thread took), how the call ended — its result, still to be read, or
/// its error — and its timing.
/// </summary>
/// <remarks>
/// <para>
/// Interception creates it when a chat method is called and finishes it exactly once: when the result arrives, when
/// the call throws, or, for a stream, when its enumeration ends (a later enumeration of the same stream, which sends
/// the request again, is a call of its own). Finishing hands it to the proxy's <see cref="ICapturedCallSink"/>; the
/// sink's background writer then reads what the caller's thread left unread, with <see cref="ReadRequest"/> and
/// <see cref="ReadOutcome"/>.
/// </para>
/// <para>A call made elsewhere and complete already (a text prompt saved by hand) is built with its request and outcome.</para>
/// </remarks>
/// <remarks>Small on purpose (one is allocated per call on the caller's thread, and waits in the writer's queue): no field is kept twice.</remarks>
internal sealed class CapturedCall
{
    private readonly ProxiedClient? _client;
    private readonly ChatMethodPlan? _plan;
    private readonly CallTimer _timer;
    private readonly string? _namespace;
    private readonly CallContext? _context;
    private int _finished;
    private int _enumerations;

    // How it ended, written once by the thread that finished it, before the call is handed to the sink. The result
    // slot holds, by _resultKind, nothing, a CallOutcome, what the reader kept of the result, or a stream's reader.
    private object? _result;
    private ResultKind _resultKind;
    private bool _stream;
    private StreamEnd _streamEnd;
    private string? _error;
    private long _durationTicks = -1;
    private double _timeToFirstToken = double.NaN;

    /// <summary>A call complete already: <paramref name="request"/>, and what the initializer adds.</summary>
    public CapturedCall(CallRequest request) => Request = request;

    private CapturedCall(ProxiedClient client, ChatMethodPlan plan, CallRequest request, CallTimer timer)
    {
        _client = client;
        _plan = plan;
        _timer = timer;
        _namespace = client.Namespace;
        _context = client.ContextNow();
        Request = request;
    }

    private enum ResultKind : byte
    {
        None,
        Outcome,
        Retained,
        Stream,
    }

    /// <summary>The request as the caller's thread copied it: complete, or a snapshot for <see cref="ReadRequest"/>.</summary>
    public CallRequest Request { get; }

    /// <summary>The namespace to store the call under; <see langword="null"/> means the logger's own.</summary>
    public string? Namespace { get => _namespace; init => _namespace = value; }

    /// <summary>Who and what the call was made for (the scopes around it); null when nothing was said.</summary>
    public CallContext? Context { get => _context; init => _context = value; }

    /// <summary>What came back, when known already; otherwise <see cref="ReadOutcome"/> reads it.</summary>
    public CallOutcome? Outcome
    {
        get => _resultKind == ResultKind.Outcome ? (CallOutcome?)_result : null;
        init => (_result, _resultKind) = (value, value is null ? ResultKind.None : ResultKind.Outcome);
    }

    /// <summary>The error the call ended with (<c>Type: message</c>), or <see langword="null"/> when it succeeded.</summary>
    public string? Error { get => _error; init => _error = value; }

    /// <summary>Whether the response was streamed.</summary>
    public bool Stream { get => _stream; init => _stream = value; }

    /// <summary>
    /// For a stream, seconds from the start of the call to the first update that carried content (text, a tool call or
    /// a refusal), when the caller's thread could tell; see also <see cref="CallOutcome.TimeToFirstTokenSeconds"/>.
    /// </summary>
    public double? TimeToFirstTokenSeconds
    {
        get => double.IsNaN(_timeToFirstToken) ? null : _timeToFirstToken;
        init => _timeToFirstToken = value ?? double.NaN;
    }

    /// <summary>For a stream (<see cref="Stream"/>), how it ended, as the caller's thread saw it; see <see cref="EndOf"/>.</summary>
    public StreamEnd StreamEnd { get => _streamEnd; init => _streamEnd = value; }

    /// <summary>When the call started.</summary>
    public DateTimeOffset StartedAt { get => _timer.StartedAt; init => _timer = CallTimer.At(value); }

    /// <summary>From the start of the call to its result (for a stream, to its end); <see langword="null"/> when not timed.</summary>
    public TimeSpan? Duration
    {
        get => _durationTicks < 0 ? null : TimeSpan.FromTicks(_durationTicks);
        init => _durationTicks = value?.Ticks ?? -1;
    }

    /// <summary>Bytes of the kept result the writer is still to read (a raw reply body); 0 when there is none.</summary>
    internal long RetainedLength => _resultKind == ResultKind.Retained ? _plan!.Reader.RetainedLength(_result) : 0;

    /// <summary>Starts recording a call of <paramref name="plan"/>'s method through <paramref name="client"/>.</summary>
    internal static CapturedCall Begin(ProxiedClient client, ChatMethodPlan plan, CallRequest request, CallTimer timer) =>
        new(client, plan, request, timer);

    // ---- Finishing the call, on the caller's thread (or the thread that ends a stream). ----

    /// <summary>
    /// Returns what the caller gets in place of <paramref name="returned"/>: the same object for a finished value, a
    /// task of the same type that completes after recording, or a stream wrapper. Never throws.
    /// </summary>
    public object? Complete(object? returned)
    {
        try
        {
            return _plan!.Handler.Handle(returned, this);
        }
#pragma warning disable CA1031 // If observing the result fails, the caller still gets it untouched.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportFailure(exception);
            return returned;
        }
    }

    /// <summary>Records the finished result; it is read later, off the caller's thread. Never throws.</summary>
    public void Succeed(object? result)
    {
        if (Succeeded(result))
        {
            _client!.Record(this);
        }
    }

    /// <summary>As <see cref="Succeed"/>, awaiting the sink when recording may wait. Never throws.</summary>
    public ValueTask SucceedAsync(object? result) =>
        Succeeded(result) ? _client!.RecordAsync(this) : ValueTask.CompletedTask;

    /// <summary>Records the call as failed with <paramref name="error"/>. Never throws.</summary>
    public void Fail(Exception error)
    {
        if (Failed(error))
        {
            _client!.Record(this);
        }
    }

    /// <summary>As <see cref="Fail"/>, awaiting the sink when recording may wait. Never throws.</summary>
    public ValueTask FailAsync(Exception error) =>
        Failed(error) ? _client!.RecordAsync(this) : ValueTask.CompletedTask;

    /// <summary>Whether recording may wait, so that a finished task must still be observed asynchronously.</summary>
    public bool RecordingMayWait => _client?.RecordingMayWait == true;

    /// <summary>
    /// Starts observing one enumeration of the streamed result. The first enumeration is this call; a later one (which
    /// for the OpenAI SDK sends the request again) is a call of its own, timed from its own start.
    /// </summary>
    public StreamRecording<T> BeginStream<T>()
    {
        var call = Enumeration();
        StreamObserver<T> observer;
        try
        {
            observer = _plan!.Reader.CreateStreamObserver<T>();
        }
#pragma warning disable CA1031 // Without an observer the stream is still recorded, only without its text.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportFailure(exception);
            observer = new IgnoringStreamObserver<T>();
        }

        return new StreamRecording<T>(call, observer);
    }

    /// <summary>The call one enumeration of a streamed result records: this one for the first, a new one for a later one.</summary>
    public CapturedCall Enumeration() =>
        Interlocked.Increment(ref _enumerations) == 1 ? this : new CapturedCall(_client!, _plan!, Request, CallTimer.Start());

    /// <summary>How long the call has run.</summary>
    internal TimeSpan Elapsed => _timer.Elapsed;

    /// <summary>Records the end of a stream (this call being one enumeration, see <see cref="Enumeration"/>). Never throws.</summary>
    internal void RecordStream(Func<CallOutcome?> readOutcome, StreamEnd end, string? error, TimeSpan duration, double? timeToFirstToken)
    {
        Streamed(readOutcome, end, error, duration, timeToFirstToken);
        _client!.Record(this);
    }

    /// <summary>As <see cref="RecordStream"/>, awaiting the sink when recording may wait. Never throws.</summary>
    internal ValueTask RecordStreamAsync(Func<CallOutcome?> readOutcome, StreamEnd end, string? error, TimeSpan duration, double? timeToFirstToken)
    {
        Streamed(readOutcome, end, error, duration, timeToFirstToken);
        return _client!.RecordAsync(this);
    }

    /// <summary>The logger's registry of streams still running, which its Flush and Dispose sweep; null when the sink keeps none.</summary>
    internal LiveStreams? LiveStreams => _client?.LiveStreams;

    /// <summary>Reports a failure of PromptLogger itself to the proxy's failure handler. Never throws.</summary>
    internal void ReportFailure(Exception exception) => _client?.ReportFailure(exception);

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

    // Whether this thread finished the call with its result: false when it was finished already, or when its reader
    // observes the rest of the result (a streamed body the caller is still reading) and records it when that ends.
    private bool Succeeded(object? result)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return false;
        }

        var reader = _plan!.Reader;
        try
        {
            if (reader.ObservesRest(result, this))
            {
                return false;
            }
        }
#pragma warning disable CA1031 // If the rest cannot be observed, the call is recorded as it stands.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportFailure(exception);
        }

        _durationTicks = _timer.Elapsed.Ticks;
        try
        {
            (_result, _resultKind) = (reader.Retain(result), ResultKind.Retained);
        }
#pragma warning disable CA1031 // A result that cannot be kept is recorded without its response.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportFailure(exception);
        }

        return true;
    }

    private bool Failed(Exception error)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return false;
        }

        _durationTicks = _timer.Elapsed.Ticks;
        _error = DescribeSafely(error);
        _stream = _plan!.Shape.IsStream() || Request.Stream;
        _streamEnd = StreamEnds.Of(error);
        return true;
    }

    private void Streamed(Func<CallOutcome?> readOutcome, StreamEnd end, string? error, TimeSpan duration, double? timeToFirstToken)
    {
        // Its recording calls this once (see StreamRecording); a stream's end is the end of the call, whatever
        // finished it before (the call that returned the stream).
        Interlocked.Exchange(ref _finished, 1);
        (_result, _resultKind) = (readOutcome, ResultKind.Stream);
        _streamEnd = end;
        _error = error;
        _durationTicks = duration.Ticks;
        _stream = true;
        _timeToFirstToken = timeToFirstToken ?? double.NaN;
    }

    // ---- Reading it, on the writer. ----

    /// <summary>
    /// The full request: <see cref="Request"/>, or what its snapshot reads into. Runs on the writer; never throws (an
    /// unreadable snapshot gives what the caller's thread already had, and is reported).
    /// </summary>
    public CallRequest ReadRequest()
    {
        if (!Request.IsSnapshot)
        {
            return Request;
        }

        try
        {
            return Request.ReadSnapshot();
        }
#pragma warning disable CA1031 // An unreadable request is recorded with what the caller's thread already had.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportFailure(exception);
            return Request;
        }
    }

    /// <summary>What came back, read from the kept result or the stream's observer; null when nothing did. Runs on the writer; never throws.</summary>
    public CallOutcome? ReadOutcome()
    {
        try
        {
            return _resultKind switch
            {
                ResultKind.Outcome => (CallOutcome)_result!,
                ResultKind.Stream => ((Func<CallOutcome?>)_result!)(),
                ResultKind.Retained => _plan!.Reader.ReadOutcome(_result),
                _ => null,
            };
        }
#pragma warning disable CA1031 // An unreadable result is recorded without its response.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportFailure(exception);
            return null;
        }
    }

    /// <summary>
    /// How the stream ended, given what <see cref="ReadOutcome"/> read: a reply whose bytes were disposed unread after it
    /// arrived whole ended complete, whatever the caller did with what was left in its parser's buffer.
    /// </summary>
    public StreamEnd EndOf(CallOutcome? outcome) =>
        _streamEnd == StreamEnd.Abandoned && outcome is ProtocolStreamOutcome { ReplyWhole: true } ? StreamEnd.Completed : _streamEnd;
}
