namespace PromptLogging.Interception.Streams;

/// <summary>The end of one observed enumeration: records it once, however it ended.</summary>
internal interface IStreamEnd
{
    /// <summary>The enumeration ended as <paramref name="end"/> (with <paramref name="error"/> when it threw). Only the first call counts. Never throws.</summary>
    void OnEnd(StreamEnd end, Exception? error);

    /// <summary>Whether recording the end may wait (see <see cref="ICapturedCallSink.RecordingMayWait"/>): then asynchronous enumerations await <see cref="OnEndAsync"/>.</summary>
    bool RecordingMayWait { get; }

    /// <summary>As <see cref="OnEnd"/>, awaiting the sink when recording may wait, without blocking a thread. Never throws.</summary>
    ValueTask OnEndAsync(StreamEnd end, Exception? error);

    /// <summary>
    /// Joins the logger's live streams with <paramref name="owner"/>, the enumerator the caller holds: if the caller
    /// drops it unfinished, the stream is recorded as abandoned all the same. Never throws.
    /// </summary>
    void Track(object owner);
}
