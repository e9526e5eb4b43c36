namespace PromptLogging.Interception;

/// <summary>
/// Receives every call that interception observed. PromptLogger implements it; interception knows nothing of storage.
/// </summary>
/// <remarks>
/// <see cref="Record"/> is called on the caller's thread (or the thread that finished a stream), so an
/// implementation must return quickly and must not throw: hand the call to a background writer, and call
/// <see cref="CapturedCall.Resolve"/> there to read what interception left unread.
/// </remarks>
internal interface ICapturedCallSink
{
    /// <summary>Takes one captured call. Must not block for long and must not throw.</summary>
    /// <param name="capturedCall">The call, fully read; it is not changed after it is handed over.</param>
    void Record(CapturedCall capturedCall);
}
