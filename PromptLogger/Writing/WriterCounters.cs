namespace PromptLogging.Writing;

/// <summary>Counters the writer keeps about itself; read from any thread.</summary>
internal sealed class WriterCounters
{
    private long _recorded;
    private long _written;
    private long _dropped;
    private long _failedBatches;
    private long _spooled;
    private long _replayed;

    public long Recorded => Interlocked.Read(ref _recorded);
    public long Written => Interlocked.Read(ref _written);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long FailedBatches => Interlocked.Read(ref _failedBatches);
    public long Spooled => Interlocked.Read(ref _spooled);
    public long Replayed => Interlocked.Read(ref _replayed);

    public void AddRecorded() => Interlocked.Increment(ref _recorded);
    public void AddWritten(int count) => Interlocked.Add(ref _written, count);
    public void AddDropped(int count = 1) => Interlocked.Add(ref _dropped, count);
    public void AddFailedBatch() => Interlocked.Increment(ref _failedBatches);
    public void AddSpooled(int count) => Interlocked.Add(ref _spooled, count);
    public void AddReplayed(int count) => Interlocked.Add(ref _replayed, count);
}
