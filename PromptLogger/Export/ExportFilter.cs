using PromptLogging.Storage;

namespace PromptLogging.Export;

/// <summary>
/// Which records a verb selects (export, list, search, stats, report, purge, replay): a namespace or all of them,
/// optionally only some models, a time window, one conversation, one user, the prompts carrying every one of some
/// tags, and failed calls only or none. Turned into SQL by <see cref="FilterSql"/>, the same for every verb.
/// </summary>
/// <param name="Namespace">The namespace; <see langword="null"/> for every namespace (<c>--all-namespaces</c>).</param>
/// <param name="Models">Only these models; <see langword="null"/> for every model.</param>
internal sealed record ExportFilter(string? Namespace, IReadOnlyList<string>? Models)
{
    /// <summary>Only chat or only text prompts: <see cref="PromptRecord.ChatKind"/> (the default) or <see cref="PromptRecord.TextKind"/>.</summary>
    public string Kind { get; init; } = PromptRecord.ChatKind;

    /// <summary>Only this conversation's prompts; null for any.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Only this user's prompts; null for any.</summary>
    public string? UserId { get; init; }

    /// <summary>Only prompts carrying every one of these tags; empty for any.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Only calls made at or after this time (<c>inference_on</c>); null for no lower bound.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only calls made before this time; null for no upper bound.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>True: only failed calls (<c>--errors</c>); false: only calls without an error (<c>--no-errors</c>); null: both.</summary>
    public bool? Errors { get; init; }

    /// <summary>Whether anything but the namespace and the models selects rows (which only prompts have).</summary>
    public bool SelectsByContext => ConversationId is not null || UserId is not null || Tags.Count > 0 ||
                                    Since is not null || Until is not null || Errors is not null;

    /// <summary>Equal when they select the same rows: the lists compared by their names, in order.</summary>
    public bool Equals(ExportFilter? other) =>
        other is not null &&
        Namespace == other.Namespace &&
        (Models ?? []).SequenceEqual(other.Models ?? []) && (Models is null) == (other.Models is null) &&
        Kind == other.Kind &&
        ConversationId == other.ConversationId &&
        UserId == other.UserId &&
        Tags.SequenceEqual(other.Tags) &&
        Since == other.Since && Until == other.Until && Errors == other.Errors;

    public override int GetHashCode() => HashCode.Combine(Namespace, Models?.Count, Kind, ConversationId, UserId, Tags.Count, Since, Until);

    /// <summary>
    /// Builds a filter; <paramref name="models"/> null, empty of names, or containing <c>all</c> (the default of the Python
    /// prompt-logger package) means every model. A null or empty conversation or user, and null or empty tags, select nothing out.
    /// </summary>
    /// <param name="namespace">The namespace; <see langword="null"/> for every namespace.</param>
    /// <param name="models">The models; null, none or <c>all</c> for every model.</param>
    /// <param name="conversationId">Only this conversation.</param>
    /// <param name="userId">Only this end user.</param>
    /// <param name="tags">Only prompts carrying all of these.</param>
    public static ExportFilter Create(
        string? @namespace,
        IEnumerable<string>? models,
        string? conversationId = null,
        string? userId = null,
        IEnumerable<string>? tags = null)
    {
        if (@namespace is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(@namespace);
        }

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
