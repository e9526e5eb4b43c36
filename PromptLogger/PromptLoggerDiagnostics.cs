namespace PromptLogging;

/// <summary>A snapshot of what a <see cref="PromptLogger"/> has done, for health checks and dashboards.</summary>
/// <param name="Recorded">Calls accepted into the write queue.</param>
/// <param name="Written">Records committed to the database.</param>
/// <param name="Dropped">Records lost: the queue was full, the logger was disposed, or the database refused them after retries.</param>
/// <param name="FailedBatches">Batches the database refused after every retry.</param>
/// <param name="QueueDepth">Records waiting for the writer now.</param>
public sealed record PromptLoggerDiagnostics(long Recorded, long Written, long Dropped, long FailedBatches, int QueueDepth);
