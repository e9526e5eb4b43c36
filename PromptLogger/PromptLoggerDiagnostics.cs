namespace PromptLogging;

/// <summary>A snapshot of what a <see cref="PromptLogger"/> has done, for health checks and dashboards.</summary>
/// <param name="Recorded">Calls accepted into the write queue.</param>
/// <param name="Written">Records committed to the database.</param>
/// <param name="Dropped">Records lost: the queue was full, the logger was disposed, or neither the database nor the spool took them.</param>
/// <param name="FailedBatches">Batches the database refused (they were spooled, or dropped if that failed too).</param>
/// <param name="QueueDepth">Records waiting for the writer now.</param>
/// <param name="Spooled">Records written to the spool file beside the database while it was unavailable.</param>
/// <param name="Replayed">Spooled records later stored in the database (counted in <paramref name="Written"/> too).</param>
public sealed record PromptLoggerDiagnostics(
    long Recorded, long Written, long Dropped, long FailedBatches, int QueueDepth, long Spooled = 0, long Replayed = 0);
