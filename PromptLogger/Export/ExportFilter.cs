namespace PromptLogging.Export;

/// <summary>
/// Which rows an export takes: one namespace, optionally only some models, and optionally only one conversation, one
/// user, and the prompts carrying every one of some tags.
/// </summary>
internal sealed record ExportFilter(string Namespace, IReadOnlyList<string>? Models)
{
    /// <summary>Only this conversation's prompts; null for any.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Only this user's prompts; null for any.</summary>
    public string? UserId { get; init; }

    /// <summary>Only prompts carrying every one of these tags; empty for any.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Whether anything but the namespace and the models selects rows (which only prompts have).</summary>
    public bool SelectsByContext => ConversationId is not null || UserId is not null || Tags.Count > 0;

    /// <summary>Equal when they select the same rows: the lists compared by their names, in order.</summary>
    public bool Equals(ExportFilter? other) =>
        other is not null &&
        Namespace == other.Namespace &&
        (Models ?? []).SequenceEqual(other.Models ?? []) && (Models is null) == (other.Models is null) &&
        ConversationId == other.ConversationId &&
        UserId == other.UserId &&
        Tags.SequenceEqual(other.Tags);

    public override int GetHashCode() => HashCode.Combine(Namespace, Models?.Count, ConversationId, UserId, Tags.Count);

    /// <summary>
    /// Builds a filter; <paramref name="models"/> null, empty of names, or containing <c>all</c> (the default of the Python
    /// prompt-logger package) means every model. A null or empty conversation or user, and null or empty tags, select nothing out.
    /// </summary>
    public static ExportFilter Create(
        string @namespace,
        IEnumerable<string>? models,
        string? conversationId = null,
        string? userId = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        var names = models?
            .Select(m => m?.Trim())
            .Where(m => !string.IsNullOrEmpty(m))
            .Select(m => m!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var context = new ExportFilter(@namespace, null)
        {
            ConversationId = string.IsNullOrEmpty(conversationId) ? null : conversationId,
            UserId = string.IsNullOrEmpty(userId) ? null : userId,
            Tags = [.. (tags ?? []).Where(t => !string.IsNullOrEmpty(t)).Distinct(StringComparer.Ordinal)],
        };
        if (names is null || names.Count == 0 || names.Contains("all", StringComparer.Ordinal))
        {
            return context;
        }

        return context with { Models = names };
    }
}
