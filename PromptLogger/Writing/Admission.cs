namespace PromptLogging.Writing;

/// <summary>
/// Bounds what the writer holds in memory: at most a number of calls waiting in its queue, and at most a number of
/// (estimated) bytes in all records not yet committed or spooled — queued, being written, or held for a retry.
/// </summary>
/// <remarks>
/// <see cref="TryReserve"/> never blocks (the cost of an uncontended reservation is two interlocked adds).
/// <see cref="Reserve"/> blocks only its own thread, <see cref="ReserveAsync"/> awaits without blocking one, until
/// the writer releases room or the admission closes. A single call larger than the whole byte budget is still
/// admitted when nothing else is buffered, so that it can never wait forever.
/// </remarks>
internal sealed class Admission
{
    private readonly int _maxItems;
    private readonly long _maxBytes;
    private long _items;
    private long _bytes;
    private int _waiters;
    private volatile bool _closed;
    private TaskCompletionSource _room = NewRoom();

    public Admission(int maxItems, long maxBytes)
    {
        _maxItems = maxItems;
        _maxBytes = maxBytes;
    }

    /// <summary>Calls admitted and not yet taken out of the queue by the writer.</summary>
    public int Items => (int)Interlocked.Read(ref _items);

    /// <summary>Estimated bytes of the records not yet committed or spooled.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public bool IsClosed => _closed;

    /// <summary>Takes room for one call of <paramref name="bytes"/>, or returns false at once when there is none.</summary>
    public bool TryReserve(long bytes)
    {
        if (_closed)
        {
            return false;
        }

        if (Interlocked.Increment(ref _items) > _maxItems)
        {
            Interlocked.Decrement(ref _items);
            return false;
        }

        var after = Interlocked.Add(ref _bytes, bytes);
        if (after > _maxBytes && after != bytes)
        {
            Interlocked.Add(ref _bytes, -bytes);
            Interlocked.Decrement(ref _items);
            return false;
        }

        return true;
    }

    /// <summary>Takes room for one call, blocking this thread (only) until there is some; false once closed.</summary>
    public bool Reserve(long bytes)
    {
        while (true)
        {
            var room = Volatile.Read(ref _room);
            Interlocked.Increment(ref _waiters);
            try
            {
                if (TryReserve(bytes))
                {
                    return true;
                }

                if (_closed)
                {
                    return false;
                }

                // A wait on the task itself needs no pool thread to wake it.
                room.Task.Wait();
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }
    }

    /// <summary>Takes room for one call, awaiting (no thread blocked) until there is some; false once closed.</summary>
    public async ValueTask<bool> ReserveAsync(long bytes)
    {
        while (true)
        {
            var room = Volatile.Read(ref _room);
            Interlocked.Increment(ref _waiters);
            try
            {
                if (TryReserve(bytes))
                {
                    return true;
                }

                if (_closed)
                {
                    return false;
                }

                await room.Task.ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }
    }

    /// <summary>The writer took <paramref name="count"/> calls out of its queue.</summary>
    public void ReleaseItems(int count)
    {
        Interlocked.Add(ref _items, -count);
        SignalRoom();
    }

    /// <summary>Records of <paramref name="bytes"/> were committed, spooled or dropped.</summary>
    public void ReleaseBytes(long bytes)
    {
        Interlocked.Add(ref _bytes, -bytes);
        SignalRoom();
    }

    /// <summary>Admits nothing more; every waiter returns false.</summary>
    public void Close()
    {
        _closed = true;
        Interlocked.Exchange(ref _room, NewRoom()).TrySetResult();
    }

    private void SignalRoom()
    {
        // The interlocked add before this is a full fence: a waiter that registered before it is seen here, and a
        // waiter that registers after it sees the room in its own TryReserve.
        if (Volatile.Read(ref _waiters) > 0)
        {
            Interlocked.Exchange(ref _room, NewRoom()).TrySetResult();
        }
    }

    private static TaskCompletionSource NewRoom() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
