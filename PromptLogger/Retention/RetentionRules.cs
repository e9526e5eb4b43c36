namespace PromptLogging.Retention;

/// <summary>
/// What the background retention deletes: per namespace, records older than how long it keeps them — from
/// <see cref="PromptLoggerOptions.RetainFor"/> (the logger's own namespace) and
/// <see cref="PromptLoggerOptions.RetainForNamespace"/> (which wins for a namespace named in both).
/// </summary>
internal static class RetentionRules
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(36_525);

    /// <summary>Whether <paramref name="keep"/> is a retention period: positive, at most 100 years.</summary>
    public static bool IsValid(TimeSpan keep) => keep > TimeSpan.Zero && keep <= Longest;

    /// <summary>The namespaces with a retention period, and the period; empty when nothing is ever deleted.</summary>
    public static IReadOnlyDictionary<string, TimeSpan> From(PromptLoggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rules = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        if (options.RetainFor is { } keep)
        {
            rules[options.Namespace] = keep;
        }

        foreach (var (name, keepFor) in options.RetainForNamespace)
        {
            rules[name] = keepFor;
        }

        return rules;
    }
}
