namespace PromptLogging.Storage;

/// <summary>A parsed database URL: which store, and where.</summary>
internal sealed record DatabaseUrl(string Original, string FilePath)
{
    internal const string AcceptedForms =
        "accepted forms: sqlite:///relative/path.db (relative to the working folder) and sqlite:////absolute/path.db";

    private const string SqlitePrefix = "sqlite:///";

    /// <summary>Parses <paramref name="url"/> into a store location.</summary>
    /// <exception cref="ArgumentException">The URL is empty, malformed or names an unsupported store.</exception>
    public static DatabaseUrl Parse(string url, string paramName = "database")
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new ArgumentException($"The database URL is empty; {AcceptedForms}.", paramName);
        }

        if (!url.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var scheme = url.Contains("://", StringComparison.Ordinal) ? url[..url.IndexOf("://", StringComparison.Ordinal)] : null;
            var why = scheme is null
                ? "it has no scheme"
                : scheme.Equals("sqlite", StringComparison.OrdinalIgnoreCase)
                    ? "a sqlite URL needs three slashes before the path"
                    : $"the scheme '{scheme}' is not supported";
            throw new ArgumentException($"Unsupported database URL '{url}': {why}; {AcceptedForms}.", paramName);
        }

        // sqlite:///x.db → "x.db" (relative); sqlite:////abs/x.db → "/abs/x.db" (absolute).
        var path = url[SqlitePrefix.Length..];
        if (path.Length == 0 || path == "/")
        {
            throw new ArgumentException($"The database URL '{url}' names no file; {AcceptedForms}.", paramName);
        }

        if (path.Contains('\0', StringComparison.Ordinal) || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            throw new ArgumentException($"The database URL '{url}' contains characters that cannot be in a path; {AcceptedForms}.", paramName);
        }

        if (path.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The database URL '{url}' has query parameters, which sqlite URLs do not take; {AcceptedForms}.", paramName);
        }

        var full = Path.GetFullPath(path);
        if (full.EndsWith(Path.DirectorySeparatorChar) || Directory.Exists(full))
        {
            throw new ArgumentException($"The database URL '{url}' names a folder ({full}), not a file; {AcceptedForms}.", paramName);
        }

        return new DatabaseUrl(url, full);
    }
}
