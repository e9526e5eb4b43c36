using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Streams;

/// <summary>
/// Sees the updates of one enumeration of a stream as they pass to the caller, and assembles what is recorded when
/// the stream ends. Used by one enumeration at a time, so it needs no locking.
/// </summary>
internal abstract class StreamObserver<T>
{
    /// <summary>
    /// Notes one update; called after the caller's <c>MoveNext</c> produced it and before the caller sees it. Returns
    /// whether it carried content — text, a tool call or a refusal — which is what time to first token measures.
    /// </summary>
    public abstract bool Observe(T update);

    /// <summary>Writes the assembled response (text, finish reason, usage) into <paramref name="outcome"/>.</summary>
    public abstract void Finish(CallOutcome outcome);
}

/// <summary>An observer that notes nothing: used when a family cannot read a stream's updates.</summary>
internal sealed class IgnoringStreamObserver<T> : StreamObserver<T>
{
    // Without reading the updates, every update counts as content.
    public override bool Observe(T update) => true;

    public override void Finish(CallOutcome outcome)
    {
    }
}
