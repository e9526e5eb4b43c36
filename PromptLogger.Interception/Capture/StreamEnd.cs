namespace PromptLogging.Interception;

/// <summary>How a streamed call ended (stored as <c>stream_end</c>).</summary>
/// <remarks>A byte, and <see cref="Completed"/> the default: it fits in the padding of the records that carry it.</remarks>
internal enum StreamEnd : byte
{
    /// <summary>The caller read the stream to its end.</summary>
    Completed,

    /// <summary>The caller stopped reading (disposed the enumeration early) or never finished (dropped it, or the logger closed first).</summary>
    Abandoned,

    /// <summary>The caller's cancellation token stopped the stream.</summary>
    Cancelled,

    /// <summary>The stream threw (a broken connection, a timeout, an error from the provider).</summary>
    Failed,
}

/// <summary>Tells <see cref="StreamEnd.Cancelled"/> from <see cref="StreamEnd.Failed"/> by the exception a stream ended with.</summary>
internal static class StreamEnds
{
    /// <summary>
    /// Cancelled for an <see cref="OperationCanceledException"/> — except one that stands for a timeout (HttpClient and
    /// System.ClientModel put a <see cref="TimeoutException"/> inside), which the caller did not ask for: failed.
    /// </summary>
    public static StreamEnd Of(Exception error) =>
        error is OperationCanceledException && error.InnerException is not TimeoutException ? StreamEnd.Cancelled : StreamEnd.Failed;
}
