namespace PromptLogging.Writing;

/// <summary>Counters the writer keeps about itself; read from any thread.</summary>
internal sealed class WriterCounters
{
    private long _recorded;
    private long _written;
    private long _dropped;
    private long _failedBatches;

    public long Recorded => Interlocked.Read(ref _recorded);
    public long Written => Interlocked.Read(ref _written);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long FailedBatches => Interlocked.Read(ref _failedBatches);

    public void AddRecorded() => Interlocked.Increment(ref _recorded);
    public void AddWritten(int count) => Interlocked.Add(ref _written, count);
    public void AddDropped(int count = 1) => Interlocked.Add(ref _dropped, count);
    public void AddFailedBatch() => Interlocked.Increment(ref _failedBatches);
}
