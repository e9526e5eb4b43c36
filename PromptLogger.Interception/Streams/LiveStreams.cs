namespace PromptLogging.Interception.Streams;

/// <summary>
/// The streams of one sink still running: each joins when its enumeration starts and leaves when it ends. An
/// enumerator the caller drops without disposing it ends nowhere; <see cref="SweepDropped"/> (the logger's Flush)
/// finds those the garbage collector has reclaimed and records them as abandoned, and <see cref="SweepAll"/> (the
/// logger's Dispose) records every stream still running so.
/// </summary>
/// <remarks>
/// A stream costs one weak handle and two short locked sections (join, leave). Joining also sweeps now and then
/// (each time the registry doubled since the last sweep), so a program that never flushes does not accumulate
/// dropped streams. Thread-safe.
/// </remarks>
internal sealed class LiveStreams
{
    private const int FirstSweep = 64;

    private readonly Lock _lock = new();
    private LiveStream? _first;
    private int _count;
    private int _sweepAt = FirstSweep;

    /// <summary>How many streams are registered (running, or dropped and not yet swept).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Registers <paramref name="stream"/>, whose caller holds <paramref name="owner"/>. Never throws.</summary>
    public void Add(LiveStream stream, object owner)
    {
        List<LiveStream>? dropped = null;
        lock (_lock)
        {
            if (stream.Registry is not null || stream.HasEnded)
            {
                return;
            }

            stream.Owner = System.Runtime.InteropServices.GCHandle.Alloc(owner, System.Runtime.InteropServices.GCHandleType.Weak);
            stream.Next = _first;
            if (_first is not null)
            {
                _first.Previous = stream;
            }

            _first = stream;
            Volatile.Write(ref stream.Registry, this);
            if (++_count >= _sweepAt)
            {
                dropped = Take(onlyDropped: true);
                _sweepAt = Math.Max(FirstSweep, _count * 2);
            }
        }

        Abandon(dropped);
    }

    /// <summary>Unregisters <paramref name="stream"/>; nothing when it is not registered here.</summary>
    public void Remove(LiveStream stream)
    {
        lock (_lock)
        {
            if (stream.Registry == this)
            {
                Unlink(stream);
            }
        }
    }

    /// <summary>Records as abandoned every stream whose enumerator was reclaimed unfinished. Returns how many.</summary>
    public int SweepDropped()
    {
        List<LiveStream>? dropped;
        lock (_lock)
        {
            dropped = Take(onlyDropped: true);
        }

        return Abandon(dropped);
    }

    /// <summary>Records every stream still registered as abandoned (the logger is closing). Returns how many.</summary>
    public int SweepAll()
    {
        List<LiveStream>? all;
        lock (_lock)
        {
            all = Take(onlyDropped: false);
        }

        return Abandon(all);
    }

    // Under the lock: unlinks and returns the streams to abandon.
    private List<LiveStream>? Take(bool onlyDropped)
    {
        List<LiveStream>? taken = null;
        var stream = _first;
        while (stream is not null)
        {
            var next = stream.Next;
            if (!onlyDropped || stream.Owner.Target is null)
            {
                Unlink(stream);
                (taken ??= []).Add(stream);
            }

            stream = next;
        }

        return taken;
    }

    private void Unlink(LiveStream stream)
    {
        if (stream.Previous is not null)
        {
            stream.Previous.Next = stream.Next;
        }
        else
        {
            _first = stream.Next;
        }

        if (stream.Next is not null)
        {
            stream.Next.Previous = stream.Previous;
        }

        stream.Previous = null;
        stream.Next = null;
        stream.Owner.Free();
        Volatile.Write(ref stream.Registry, null);
        _count--;
    }

    // Outside the lock: recording may wait (Immediate durability).
    private static int Abandon(List<LiveStream>? streams)
    {
        if (streams is null)
        {
            return 0;
        }

        foreach (var stream in streams)
        {
            stream.Abandon();
        }

        return streams.Count;
    }
}
