using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Reads the arguments and the result of one chat method of one client family. Made once per method, when the
/// method is first seen, and shared by every call and every proxy.
/// </summary>
/// <remarks>Implementations are stateless and thread-safe; per-call state lives in the <see cref="CallOutcome"/> and stream observers they fill.</remarks>
internal abstract class CallReader
{
    /// <summary>Chat or text: which export the calls belong to.</summary>
    public abstract CallKind Kind { get; }

    /// <summary>
    /// Copies the request on the caller's thread — or only snapshots it, returning a <see cref="CallRequest"/>
    /// subclass whose <see cref="CallRequest.ReadSnapshot"/> the background writer runs. May replace a lazily
    /// evaluated argument in <paramref name="arguments"/> with an equivalent materialized one, so the sequence is
    /// enumerated only once.
    /// </summary>
    public abstract CallRequest ReadRequest(ProxiedClient client, object?[] arguments);

    /// <summary>What can be recorded when <see cref="ReadRequest"/> failed on an unusual argument.</summary>
    public virtual CallRequest FallbackRequest(ProxiedClient client, object?[] arguments) => new() { Kind = Kind };

    /// <summary>Reads a finished result (the value, or the task's result) into <paramref name="outcome"/>.</summary>
    public abstract void ReadResult(object? result, CallOutcome outcome);

    /// <summary>
    /// What of a finished result to keep until the writer reads it: by default the result itself. A family whose
    /// result drags along more than it needs (the OpenAI SDK's <c>ClientResult</c> holds the whole HTTP response)
    /// keeps only the part it reads, so a queue of waiting calls stays small.
    /// </summary>
    public virtual object? Retain(object? result) => result;

    /// <summary>What <see cref="Retain"/> kept holds of text not read yet, in bytes (a raw reply body); 0 by default.</summary>
    public virtual long RetainedLength(object? retained) => 0;

    /// <summary>
    /// Whether the result of <paramref name="call"/> is still to be observed (a streamed reply the caller has yet to
    /// read): then the reader has arranged for the call to be recorded when that ends, and it is not recorded now.
    /// </summary>
    public virtual bool ObservesRest(object? result, CapturedCall call) => false;

    /// <summary>Reads a finished result into a new outcome; run off the caller's thread.</summary>
    public CallOutcome ReadOutcome(object? result)
    {
        var outcome = new CallOutcome();
        ReadResult(result, outcome);
        return outcome;
    }

    /// <summary>Creates the observer of one enumeration of a streamed result whose updates are <typeparamref name="T"/>.</summary>
    public abstract StreamObserver<T> CreateStreamObserver<T>();
}
