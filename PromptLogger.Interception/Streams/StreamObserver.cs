using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Streams;

/// <summary>
/// Sees the updates of one enumeration of a stream as they pass to the caller, and assembles what is recorded when
/// the stream ends. Used by one enumeration at a time, so it needs no locking.
/// </summary>
internal abstract class StreamObserver<T>
{
    /// <summary>Notes one update; called after the caller's <c>MoveNext</c> produced it and before the caller sees it.</summary>
    public abstract void Observe(T update);

    /// <summary>Writes the assembled response (text, finish reason, usage) into <paramref name="outcome"/>.</summary>
    public abstract void Finish(CallOutcome outcome);
}

/// <summary>An observer that notes nothing: used when a family cannot read a stream's updates.</summary>
internal sealed class IgnoringStreamObserver<T> : StreamObserver<T>
{
    public override void Observe(T update)
    {
    }

    public override void Finish(CallOutcome outcome)
    {
    }
}
