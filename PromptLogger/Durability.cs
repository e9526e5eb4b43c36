namespace PromptLogging;

/// <summary>When a recorded call counts as stored.</summary>
public enum Durability
{
    /// <summary>
    /// The default: the call returns as soon as its record is queued; the background writer lets calls gather for
    /// up to 10 ms, then commits them in one transaction. A process killed outright (<c>kill -9</c>, power loss) can
    /// lose the records of its last moments; a normal exit, <see cref="PromptLogger.Dispose"/> or
    /// <see cref="PromptLogger.Flush()"/> loses nothing the database or its spool can take.
    /// </summary>
    Buffered = 0,

    /// <summary>
    /// The recording call returns only after its record is committed to the database, or written and flushed to the
    /// spool file while the database is unavailable, so nothing acknowledged is lost. Costs the caller one commit of
    /// latency per call (milliseconds on SQLite). Synchronous calls block their own thread for it; asynchronous ones
    /// (an <c>…Async</c> method of an attached client, an asynchronous <see cref="PromptLogger.Capture(System.Func{string, System.Threading.Tasks.Task{string}})"/>)
    /// await it without blocking a thread. A streamed result is recorded when its enumeration ends, and the thread
    /// that ends it waits.
    /// </summary>
    /// <remarks>
    /// While neither the database nor the spool takes writes (a full or read-only disk), the call waits, at most
    /// <see cref="PromptLoggerOptions.ImmediateTimeout"/> (30 seconds by default). Past it the call returns and a
    /// warning is logged; the record is then only held in memory, written as soon as the disk takes writes again,
    /// and lost if the process ends first.
    /// </remarks>
    Immediate = 1,
}
