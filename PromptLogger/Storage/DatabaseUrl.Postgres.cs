using System.Globalization;

namespace PromptLogging.Storage;

internal sealed partial record DatabaseUrl
{
    /// <summary>Parameters a URL may not set: the URL's own parts say these, and a password belongs in the user info.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "server", "port", "user", "username", "user id", "userid", "password", "psw", "pwd",
        "database", "db", "dbname",
    };

    private static bool IsPostgres(string url) =>
        url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
        url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <c>postgresql://user:password@host:port/database?param=value</c>: user and password URL-decoded, port 5432
    /// by default, parameters kept for the driver's package (PromptLogger.PostgreSql), which checks them when it
    /// opens the store. Needs no driver: the core parses and redacts. No message this throws shows the password.
    /// </summary>
    private static DatabaseUrl ParsePostgres(string url, string paramName)
    {
        var redacted = Redact(url);
        ArgumentException Bad(string why) => new($"The database URL '{redacted}' {why}; {AcceptedForms}.", paramName);

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var rest = url[schemeEnd..];
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart < 0 ? string.Empty : rest[(queryStart + 1)..];
        rest = queryStart < 0 ? rest : rest[..queryStart];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var database = slash < 0 ? string.Empty : Decode(rest[(slash + 1)..]);

        // The last '@' ends the user info: an unencoded '@' in a password is common enough to accept.
        var at = authority.LastIndexOf('@');
        var userInfo = at < 0 ? null : authority[..at];
        var hostPort = at < 0 ? authority : authority[(at + 1)..];

        string? user = null;
        string? password = null;
        if (userInfo is not null)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Decode(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Decode(userInfo[(colon + 1)..]);
        }

        var (host, port) = SplitHostPort(hostPort) ?? throw Bad("has a malformed host or port");
        if (database.Length == 0)
        {
            throw Bad("names no database (add /database after the host)");
        }

        if (database.Contains('/', StringComparison.Ordinal))
        {
            throw Bad("has a '/' in the database name");
        }

        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(equals < 0 ? pair : pair[..equals]).Trim();
            var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            if (key.Length == 0 || Reserved.Contains(key))
            {
                throw Bad($"sets '{key}' as a parameter; give it in the URL's user, host, port or database part");
            }

            parameters.Add(new(key, value));
        }

        var server = new ServerAddress(host.Length == 0 ? "localhost" : host, port, database, string.IsNullOrEmpty(user) ? null : user, password, parameters);
        return new DatabaseUrl(DatabaseKind.PostgreSql, redacted, null, server);
    }

    private static (string Host, int Port)? SplitHostPort(string hostPort)
    {
        var host = hostPort;
        var portText = string.Empty;
        if (hostPort.StartsWith('['))
        {
            // [::1]:5432
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }

            host = hostPort[1..close];
            var after = hostPort[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
            {
                return null;
            }

            portText = after.Length > 0 ? after[1..] : string.Empty;
        }
        else if (hostPort.LastIndexOf(':') is var colon and >= 0)
        {
            host = hostPort[..colon];
            portText = hostPort[(colon + 1)..];
            if (portText.Length == 0)
            {
                return null;
            }
        }

        host = Decode(host);
        if (host.Contains(',', StringComparison.Ordinal) || host.Contains(':', StringComparison.Ordinal) && !hostPort.StartsWith('['))
        {
            return null;
        }

        if (portText.Length == 0)
        {
            return (host, 5432);
        }

        return int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? (host, port)
            : null;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text);
}
