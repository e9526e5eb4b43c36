namespace PromptLogging.Storage;

/// <summary>A parsed database URL: which store, and where.</summary>
/// <remarks>
/// <see cref="ToString"/> and <see cref="Redacted"/> mask a password: show those, never <see cref="Original"/>, in
/// messages and logs. <see cref="ConnectionString"/> carries the password for the driver only.
/// </remarks>
internal sealed partial record DatabaseUrl
{
    internal const string AcceptedForms =
        "accepted forms: sqlite:///relative/path.db (relative to the working folder) and sqlite:////absolute/path.db, " +
        "or postgresql://user:password@host:port/database (also postgres://, with ?sslmode= and the like)";

    private const string SqlitePrefix = "sqlite:///";

    private DatabaseUrl(DatabaseKind kind, string original, string redacted, string? filePath, string? connectionString)
    {
        Kind = kind;
        Original = original;
        Redacted = redacted;
        FilePath = filePath;
        ConnectionString = connectionString;
    }

    public DatabaseKind Kind { get; }

    /// <summary>The URL as given; it may hold a password, so it is never shown.</summary>
    public string Original { get; }

    /// <summary>The URL with any password replaced by <c>***</c>: what messages and logs show.</summary>
    public string Redacted { get; }

    /// <summary>The absolute path of a SQLite database; null for a server database.</summary>
    public string? FilePath { get; }

    /// <summary>The driver's connection string of a server database (password included); null for SQLite.</summary>
    public string? ConnectionString { get; }

    /// <summary>Parses <paramref name="url"/> into a store location.</summary>
    /// <exception cref="ArgumentException">The URL is empty, malformed or names an unsupported store.</exception>
    public static DatabaseUrl Parse(string url, string paramName = "database")
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new ArgumentException($"The database URL is empty; {AcceptedForms}.", paramName);
        }

        if (IsPostgres(url))
        {
            return ParsePostgres(url, paramName);
        }

        if (!url.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var scheme = url.Contains("://", StringComparison.Ordinal) ? url[..url.IndexOf("://", StringComparison.Ordinal)] : null;
            var why = scheme is null
                ? "it has no scheme"
                : scheme.Equals("sqlite", StringComparison.OrdinalIgnoreCase)
                    ? "a sqlite URL needs three slashes before the path"
                    : $"the scheme '{scheme}' is not supported";
            throw new ArgumentException($"Unsupported database URL '{RedactUnparsed(url)}': {why}; {AcceptedForms}.", paramName);
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

        return new DatabaseUrl(DatabaseKind.Sqlite, url, url, full, null);
    }

    /// <summary>The redacted form: a URL's password must not reach a log through string interpolation.</summary>
    public override string ToString() => Redacted;
}
