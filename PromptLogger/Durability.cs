namespace PromptLogging;

/// <summary>When a recorded call counts as stored.</summary>
public enum Durability
{
    /// <summary>
    /// The default: the call returns as soon as its record is queued; the background writer lets calls gather for
    /// up to 10 ms, then commits them in one transaction. A process killed outright (<c>kill -9</c>, power loss) can
    /// lose the records of its last moments; a normal exit, <see cref="PromptLogger.Dispose"/> or
    /// <see cref="PromptLogger.Flush()"/> loses nothing.
    /// </summary>
    Buffered = 0,

    /// <summary>
    /// The recording call returns only after its record is committed to the database, so nothing acknowledged is
    /// ever lost. Costs the caller one commit of latency per call (milliseconds on SQLite).
    /// </summary>
    Immediate = 1,
}
