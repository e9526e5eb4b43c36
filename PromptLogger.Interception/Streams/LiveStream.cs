using System.Runtime.InteropServices;

namespace PromptLogging.Interception.Streams;

/// <summary>
/// The recording of one running stream as <see cref="LiveStreams"/> holds it: strongly, while the enumerator the
/// caller holds (its owner) is held only weakly, so that a dropped enumerator can be told by its collected owner.
/// </summary>
internal abstract class LiveStream
{
    // Guarded by the registry's lock.
    internal LiveStream? Previous;
    internal LiveStream? Next;
    internal GCHandle Owner;
    internal LiveStreams? Registry;

    /// <summary>Whether the stream was recorded already (it ended); such a stream does not join a registry.</summary>
    public abstract bool HasEnded { get; }

    /// <summary>Records the stream as abandoned, with what it saw: its owner was dropped unfinished, or the logger is closing. Never throws.</summary>
    public abstract void Abandon();

    /// <summary>Joins the registry of <paramref name="call"/>'s sink, with <paramref name="owner"/> as what the caller holds.</summary>
    public void Track(CapturedCall call, object owner) => call.LiveStreams?.Add(this, owner);

    /// <summary>Leaves the registry, if in one: the stream ended.</summary>
    protected void Untrack() => Volatile.Read(ref Registry)?.Remove(this);
}
