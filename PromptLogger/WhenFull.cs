namespace PromptLogging;

/// <summary>What a recording call does when the write queue or the memory budget is full.</summary>
public enum WhenFull
{
    /// <summary>
    /// The default, for applications: the call returns at once and its record is dropped, counted in
    /// <see cref="PromptLoggerDiagnostics.Dropped"/> and reported in one log summary per interval. The application
    /// never waits for PromptLogger.
    /// </summary>
    Drop = 0,

    /// <summary>
    /// For batch jobs that must not lose records: the call waits until there is room. A synchronous call blocks its
    /// own thread; an asynchronous one (an <c>…Async</c> method of an attached client) awaits without blocking one.
    /// The wait has no bound: while the disk is full and the memory budget is used up, callers wait until the
    /// database or the spool takes writes again.
    /// </summary>
    Wait = 1,
}
