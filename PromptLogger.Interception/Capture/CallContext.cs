namespace PromptLogging.Interception;

/// <summary>
/// Who and what a call was made for, beyond its request: the conversation, the end user, tags and metadata, as the
/// scopes around the call and the recording client's own settings gave them. Immutable: one instance is shared by
/// every call made in the same scope.
/// </summary>
internal sealed class CallContext
{
    /// <summary>The conversation (thread) the call belongs to, or null to infer it.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The end user on whose behalf the call was made.</summary>
    public string? UserId { get; init; }

    /// <summary>Free-form labels, outermost first, without duplicates.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>String keys and values; inner scopes' keys win.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = Empty;

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
