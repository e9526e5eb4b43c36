namespace PromptLogging.Interception;

/// <summary>
/// A sink whose recording may have to wait (for a commit, or for room in its queue): calls that end in a task
/// await <see cref="RecordAsync"/> instead, so that the wait blocks no thread.
/// </summary>
internal interface IAwaitableCapturedCallSink : ICapturedCallSink
{
    /// <summary>Whether <see cref="RecordAsync"/> may wait at all; when false, tasks are observed as before.</summary>
    bool RecordingMayWait { get; }

    /// <summary>Takes one captured call; completes once the sink is done with it. Must not throw.</summary>
    ValueTask RecordAsync(CapturedCall capturedCall);
}
