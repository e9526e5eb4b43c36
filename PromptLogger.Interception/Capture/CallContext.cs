namespace PromptLogging.Interception;

/// <summary>
/// Who and what a call was made for, beyond its request: the conversation, the end user, tags and metadata, as the
/// scopes around the call and the recording client's own settings gave them. Immutable: one instance is shared by
/// every call made in the same scope.
/// </summary>
internal sealed class CallContext
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    /// <summary>The conversation (thread) the call belongs to, or null to infer it.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The end user on whose behalf the call was made.</summary>
    public string? UserId { get; init; }

    /// <summary>Free-form labels, outermost first, each once.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>String keys and values; inner scopes' keys win.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = NoMetadata;

    /// <summary>The id of the record the call re-runs (<c>replay_of</c>); set only by a replay.</summary>
    public string? ReplayOf { get; init; }

    /// <summary>
    /// A context from given values, leaving out what is null or empty (ids, tags, metadata values); null when nothing
    /// is left.
    /// </summary>
    public static CallContext? Of(string? conversationId, string? userId, IEnumerable<string?>? tags, IEnumerable<KeyValuePair<string, string?>>? metadata)
    {
        var tagList = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags ?? [])
        {
            if (!string.IsNullOrEmpty(tag) && seen.Add(tag))
            {
                tagList.Add(tag);
            }
        }

        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? [])
        {
            if (!string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(value))
            {
                entries[key] = value;
            }
        }

        var context = new CallContext
        {
            ConversationId = string.IsNullOrEmpty(conversationId) ? null : conversationId,
            UserId = string.IsNullOrEmpty(userId) ? null : userId,
            Tags = tagList,
            Metadata = entries.Count == 0 ? NoMetadata : entries,
        };
        return context.IsEmpty ? null : context;
    }

    /// <summary>
    /// <paramref name="inner"/> inside <paramref name="outer"/>: the inner ids win, tags add up (outer first, each
    /// once), metadata keys of the inner win. Either may be null; no allocation when one is.
    /// </summary>
    public static CallContext? Merge(CallContext? outer, CallContext? inner)
    {
        if (outer is null)
        {
            return inner;
        }

        if (inner is null)
        {
            return outer;
        }

        var tags = outer.Tags;
        if (inner.Tags.Count > 0)
        {
            var merged = new List<string>(outer.Tags);
            var seen = new HashSet<string>(outer.Tags, StringComparer.Ordinal);
            foreach (var tag in inner.Tags)
            {
                if (seen.Add(tag))
                {
                    merged.Add(tag);
                }
            }

            tags = merged;
        }

        var metadata = outer.Metadata;
        if (inner.Metadata.Count > 0)
        {
            var merged = new Dictionary<string, string>(outer.Metadata, StringComparer.Ordinal);
            foreach (var (key, value) in inner.Metadata)
            {
                merged[key] = value;
            }

            metadata = merged;
        }

        return new CallContext
        {
            ConversationId = inner.ConversationId ?? outer.ConversationId,
            UserId = inner.UserId ?? outer.UserId,
            Tags = tags,
            Metadata = metadata,
            ReplayOf = inner.ReplayOf ?? outer.ReplayOf,
        };
    }

    private bool IsEmpty => ConversationId is null && UserId is null && Tags.Count == 0 && Metadata.Count == 0 && ReplayOf is null;
}
