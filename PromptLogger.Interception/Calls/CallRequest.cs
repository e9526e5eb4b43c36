using System.Text.Json.Nodes;

namespace PromptLogging.Interception.Calls;

/// <summary>
/// The request half of a call. When the call starts, the caller's thread takes only a snapshot of what the caller may
/// change afterwards (its message list, a reused options object) — cheap copies of references — and a reader may leave
/// the reading of that snapshot to the background writer: its own subclass keeps the snapshot and overrides
/// <see cref="ReadSnapshot"/>.
/// </summary>
internal class CallRequest
{
    public CallKind Kind { get; init; }

    public string? Model { get; init; }

    public string? Provider { get; init; }

    public IReadOnlyList<CapturedMessage> Messages { get; init; } = [];

    public IReadOnlyList<CapturedTool> Tools { get; init; } = [];

    public JsonObject? GenerationKwargs { get; init; }

    /// <summary>
    /// The generation parameters as the UTF-8 of one JSON object, for a reader that holds them as JSON already (what an
    /// SDK wrote for the wire): stored exactly as <see cref="GenerationKwargs"/> holding the same object would be, without
    /// building that object. Empty when not given; <see cref="GenerationKwargs"/> wins when both are.
    /// </summary>
    public ReadOnlyMemory<byte> GenerationKwargsJson { get; init; }

    public string? Prompt { get; init; }

    /// <summary>The conversation the request itself names (Microsoft.Extensions.AI's <c>ChatOptions.ConversationId</c>); it wins over a scope's.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The end user the request itself names (OpenAI's <c>user</c>, <c>EndUserId</c> in the SDK); it wins over a scope's.</summary>
    public string? UserId { get; init; }

    /// <summary>Whether the request asked for a streamed reply (known from the request itself, as for a protocol call).</summary>
    public bool Stream { get; init; }

    /// <summary>
    /// Characters of text the snapshot holds that <see cref="Messages"/>, <see cref="Tools"/> and <see cref="Prompt"/> do
    /// not show yet (they are read later): what the writer's memory budget counts for it. Cheap: lengths only.
    /// </summary>
    public virtual long SnapshotLength => 0;

    /// <summary>Whether this is a snapshot still to be read by <see cref="ReadSnapshot"/>.</summary>
    public virtual bool IsSnapshot => false;

    /// <summary>Reads the full request from the snapshot; run off the caller's thread.</summary>
    public virtual CallRequest ReadSnapshot() => this;
}
