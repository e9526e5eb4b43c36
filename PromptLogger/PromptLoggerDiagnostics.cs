namespace PromptLogging;

/// <summary>A snapshot of what a <see cref="PromptLogger"/> has done, for health checks and dashboards.</summary>
/// <param name="Recorded">Calls accepted into the write queue.</param>
/// <param name="Written">Records committed to the database.</param>
/// <param name="Dropped">
/// Records lost: the queue or the memory budget was full (with <see cref="WhenFull.Drop"/>), the logger was disposed,
/// a call could not be converted, or neither the database nor the spool took them before disposal ended.
/// </param>
/// <param name="FailedBatches">Batches the database refused (they were spooled, or dropped if that failed too).</param>
/// <param name="QueueDepth">Records waiting for the writer now.</param>
/// <param name="Spooled">Records written to the spool file beside the database while it was unavailable.</param>
/// <param name="Replayed">Spooled records later stored in the database (counted in <paramref name="Written"/> too).</param>
/// <param name="Held">
/// Records held in memory now because neither the database nor the spool took them (a full or read-only disk);
/// they are retried with backoff and written once either takes writes.
/// </param>
/// <param name="Pending">
/// Records accepted and not yet committed, spooled or dropped: queued, being written, or held in memory. What a
/// <see cref="PromptLogger.Flush(TimeSpan)"/> that timed out left behind.
/// </param>
public sealed record PromptLoggerDiagnostics(
    long Recorded, long Written, long Dropped, long FailedBatches, int QueueDepth, long Spooled = 0, long Replayed = 0, long Held = 0, long Pending = 0);
