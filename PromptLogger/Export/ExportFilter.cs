namespace PromptLogging.Export;

/// <summary>Which rows an export takes: one namespace, and optionally only some models.</summary>
internal sealed record ExportFilter(string Namespace, IReadOnlyList<string>? Models)
{
    /// <summary>
    /// Builds a filter; <paramref name="models"/> null, empty of names, or containing <c>all</c> (the default of the Python
    /// prompt-logger package) means every model.
    /// </summary>
    public static ExportFilter Create(string @namespace, IEnumerable<string>? models)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        var names = models?
            .Select(m => m?.Trim())
            .Where(m => !string.IsNullOrEmpty(m))
            .Select(m => m!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (names is null || names.Count == 0 || names.Contains("all", StringComparer.Ordinal))
        {
            return new ExportFilter(@namespace, null);
        }

        return new ExportFilter(@namespace, names);
    }
}
