using System.Buffers;

namespace PromptLogging.Storage;

/// <summary>A parsed database URL: which store, and where.</summary>
/// <remarks>
/// <see cref="ToString"/> and <see cref="Redacted"/> mask a password and every secret parameter: show those in messages
/// and logs. <see cref="Server"/> carries the password for the driver only; the URL as given is not kept.
/// </remarks>
internal sealed partial record DatabaseUrl
{
    internal const string AcceptedForms =
        "accepted forms: sqlite:///relative/path.db (relative to the working folder) and sqlite:////absolute/path.db, " +
        "or postgresql://user:password@host:port/database (also postgres://, with ?sslmode= and the like)";

    private const string SqlitePrefix = "sqlite:///";

    private static readonly SearchValues<char> SchemeCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");

    private DatabaseUrl(DatabaseKind kind, string redacted, string? filePath, ServerAddress? server)
    {
        Kind = kind;
        Redacted = redacted;
        FilePath = filePath;
        Server = server;
    }

    public DatabaseKind Kind { get; }

    /// <summary>The URL with any password and secret parameter replaced by <c>***</c>: what messages and logs show.</summary>
    public string Redacted { get; }

    /// <summary>The absolute path of a SQLite database; null for a server database.</summary>
    public string? FilePath { get; }

    /// <summary>
    /// The parts of a server database's URL (password included), from which its driver's package builds the
    /// connection string; null for SQLite.
    /// </summary>
    public ServerAddress? Server { get; }

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
            var why = scheme is null || !IsSchemeName(scheme)
                ? url.StartsWith("postgres", StringComparison.OrdinalIgnoreCase)
                    ? "a PostgreSQL URL starts with postgresql:// (a colon and two slashes)"
                    : "it has no scheme"
                : scheme.Equals("sqlite", StringComparison.OrdinalIgnoreCase)
                    ? "a sqlite URL needs three slashes before the path"
                    : $"the scheme '{scheme}' is not supported";
            throw new ArgumentException($"Unsupported database URL '{Redact(url)}': {why}; {AcceptedForms}.", paramName);
        }

        // sqlite:///x.db → "x.db" (relative); sqlite:////abs/x.db → "/abs/x.db" (absolute).
        var path = url[SqlitePrefix.Length..];
        if (path.Length == 0 || path == "/")
        {
            throw new ArgumentException($"The database URL '{Redact(url)}' names no file; {AcceptedForms}.", paramName);
        }

        if (path.Contains('\0', StringComparison.Ordinal) || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            throw new ArgumentException($"The database URL '{Redact(url)}' contains characters that cannot be in a path; {AcceptedForms}.", paramName);
        }

        if (path.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The database URL '{Redact(url)}' has query parameters, which sqlite URLs do not take; {AcceptedForms}.", paramName);
        }

        var full = Path.GetFullPath(path);
        if (full.EndsWith(Path.DirectorySeparatorChar) || Directory.Exists(full))
        {
            throw new ArgumentException($"The database URL '{Redact(url)}' names a folder ({full}), not a file; {AcceptedForms}.", paramName);
        }

        return new DatabaseUrl(DatabaseKind.Sqlite, url, full, null);
    }

    /// <summary>The redacted form: a URL's password must not reach a log through string interpolation.</summary>
    public override string ToString() => Redacted;

    // Only a name is shown as a scheme: text before "://" that is not one may be a user and password.
    private static bool IsSchemeName(string text) =>
        text.Length > 0 && char.IsAsciiLetter(text[0]) && !text.AsSpan().ContainsAnyExcept(SchemeCharacters);
}
