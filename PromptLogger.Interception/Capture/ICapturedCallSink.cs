using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception;

/// <summary>
/// Receives every call that interception observed. PromptLogger implements it; interception knows nothing of storage.
/// </summary>
/// <remarks>
/// <see cref="Record"/> and <see cref="RecordAsync"/> are called on the caller's thread (or the thread that finished a
/// stream), so an implementation must return quickly and must not throw: it hands the call to a background writer,
/// which reads what interception left unread (<see cref="CapturedCall.ReadRequest"/>, <see cref="CapturedCall.ReadOutcome"/>).
/// </remarks>
internal interface ICapturedCallSink
{
    /// <summary>Whether <see cref="RecordAsync"/> may wait (for a commit, or for room in a queue); when false, calls that end in a task are recorded at once.</summary>
    bool RecordingMayWait { get; }

    /// <summary>The registry every stream of this sink's clients joins when its enumeration starts, so that one dropped unfinished is recorded; null for none.</summary>
    LiveStreams? LiveStreams { get; }

    /// <summary>Who and what calls made now are for (the scope in effect on this async flow); null outside any. Read once per call on the caller's thread: cheap.</summary>
    CallContext? Context { get; }

    /// <summary>Takes one finished call. Must not block for long and must not throw.</summary>
    void Record(CapturedCall call);

    /// <summary>Takes one finished call; completes once the sink is done with it, without blocking a thread. Must not throw.</summary>
    ValueTask RecordAsync(CapturedCall call);
}
