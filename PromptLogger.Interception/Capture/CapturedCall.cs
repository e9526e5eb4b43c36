using System.Text.Json.Nodes;
using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception;

/// <summary>
/// One call to a language model as it was observed: the request, the response (or the error), and its timing.
/// </summary>
/// <remarks>
/// Instances are immutable once handed to an <see cref="ICapturedCallSink"/>; whatever the caller may change
/// afterwards (its message list, a reused options object) has already been copied (or snapshotted, see
/// <see cref="Resolve"/>).
/// </remarks>
internal sealed class CapturedCall
{
    private string? _namespace;

    /// <summary>Chat or text.</summary>
    public CallKind Kind { get; init; }

    /// <summary>The namespace to store the call under; <see langword="null"/> means the logger's own.</summary>
    public string? Namespace { get => _namespace; init => _namespace = value; }

    /// <summary>The model name, such as <c>gpt-4.1</c>, when it could be read.</summary>
    public string? Model { get; init; }

    /// <summary>The provider, such as <c>openai</c>, when it could be read.</summary>
    public string? Provider { get; init; }

    /// <summary>The request messages of a chat call, in order.</summary>
    public IReadOnlyList<CapturedMessage> Messages { get; init; } = [];

    /// <summary>The tools offered to the model.</summary>
    public IReadOnlyList<CapturedTool> Tools { get; init; } = [];

    /// <summary>Generation parameters under the names the provider received on the wire (<c>max_completion_tokens</c>, <c>temperature</c>, …).</summary>
    public JsonObject? GenerationKwargs { get; init; }

    /// <summary>The completions the model returned (none when the call failed).</summary>
    public IReadOnlyList<CapturedCompletion> Completions { get; init; } = [];

    /// <summary>The prompt of a text call.</summary>
    public string? Prompt { get; init; }

    /// <summary>The response of a text call.</summary>
    public string? Response { get; init; }

    /// <summary>Token counts, when the provider reported them.</summary>
    public CapturedUsage? Usage { get; init; }

    /// <summary>The error the call ended with (<c>Type: message</c>), or <see langword="null"/> when it succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>Whether the response was streamed.</summary>
    public bool Stream { get; init; }

    /// <summary>
    /// For a stream, seconds from the start of the call to the first update that carried content (text, a tool call or
    /// a refusal); <see langword="null"/> when none did.
    /// </summary>
    public double? TimeToFirstTokenSeconds { get; init; }

    /// <summary>When the call started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>From the start of the call to its result (for a stream, to its end); <see langword="null"/> when not timed.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Free-form labels to store with the call.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>What answered, as the response named it (<see cref="Model"/> stays the model asked for); null when it named nothing.</summary>
    /// <remarks>One reference, filled in only when the call is resolved: the caller's thread allocates no more per call for it.</remarks>
    internal WhatAnswered? Answered { get; init; }

    /// <summary>For a stream (<see cref="Stream"/>), how it ended; meaningless otherwise.</summary>
    internal StreamEnd StreamEnd { get; init; }

    /// <summary>
    /// What interception left unread on the caller's thread (the request's snapshot, the result), read by
    /// <see cref="Resolve"/>. Null when the call is complete already.
    /// </summary>
    internal PendingCall? Pending { get; init; }

    /// <summary>A copy stored under <paramref name="namespace"/>; what <see cref="Resolve"/> reads keeps it too.</summary>
    internal CapturedCall WithNamespace(string @namespace)
    {
        var copy = (CapturedCall)MemberwiseClone();
        copy._namespace = @namespace;
        return copy;
    }

    /// <summary>
    /// Returns the complete call: this one when nothing is pending, otherwise a new one with the messages, tools,
    /// generation parameters and response read from the snapshot that interception took when the call was made.
    /// </summary>
    /// <remarks>
    /// Interception keeps the caller's thread to taking that snapshot (cheap copies of references); reading it costs
    /// microseconds, so a sink calls this on its own background thread, not in <see cref="ICapturedCallSink.Record"/>.
    /// Never throws: what cannot be read is left out and reported to the proxy's failure handler.
    /// </remarks>
    public CapturedCall Resolve() => Pending is { } pending ? pending.Resolve(_namespace) : this;
}
