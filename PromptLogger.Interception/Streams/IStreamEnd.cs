namespace PromptLogging.Interception.Streams;

/// <summary>The end of one observed enumeration: records it once, however it ended.</summary>
internal interface IStreamEnd
{
    /// <summary>The enumeration finished, was abandoned (<paramref name="error"/> null) or faulted. Only the first call counts. Never throws.</summary>
    void OnEnd(Exception? error);

    /// <summary>Whether recording the end may wait (see <see cref="IAwaitableCapturedCallSink"/>): then asynchronous enumerations await <see cref="OnEndAsync"/>.</summary>
    bool RecordingMayWait { get; }

    /// <summary>As <see cref="OnEnd"/>, awaiting the sink when recording may wait, without blocking a thread. Never throws.</summary>
    ValueTask OnEndAsync(Exception? error);
}
