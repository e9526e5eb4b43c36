using PromptLogging.Storage;

namespace PromptLogging.Writing;

/// <summary>
/// Records the writer took from its queue together, with the immediate-durability callers waiting for them and their
/// estimated size; kept in memory, in order, while neither the store nor the spool takes them.
/// </summary>
internal sealed class PendingBatch(int capacity)
{
    public List<PromptRecord> Records { get; } = new(capacity);

    /// <summary>Callers of <see cref="Durability.Immediate"/>: told once these records are committed or spooled.</summary>
    public List<TaskCompletionSource> Durable { get; } = [];

    public long Bytes { get; set; }

    /// <summary>Calls taken into the batch, including any that could not be converted into a record.</summary>
    public int Calls { get; set; }

    public bool IsEmpty => Calls == 0;

    public void Clear()
    {
        Records.Clear();
        Durable.Clear();
        Bytes = 0;
        Calls = 0;
    }

    /// <summary>Tells every waiting caller that the records are durable (or definitively lost).</summary>
    public void Release()
    {
        foreach (var waiter in Durable)
        {
            waiter.TrySetResult();
        }
    }
}
