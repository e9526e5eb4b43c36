using System.Globalization;
using Npgsql;

namespace PromptLogging.Storage;

internal sealed partial record DatabaseUrl
{
    /// <summary>
    /// libpq's URL parameters that Npgsql names differently; any other parameter must be an Npgsql connection
    /// string keyword (<c>sslmode</c>, <c>Pooling</c>, <c>Search Path</c>, …).
    /// </summary>
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["sslnegotiation"] = "SSL Negotiation",
        ["channel_binding"] = "Channel Binding",
        ["gssencmode"] = "GSS Encryption Mode",
        ["keepalives_idle"] = "Tcp Keepalive Time",
        ["keepalives_interval"] = "Tcp Keepalive Interval",
        ["options"] = "Options",
        ["search_path"] = "Search Path",
    };

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
    /// by default, parameters passed to Npgsql (libpq's names such as <c>sslmode</c> or <c>connect_timeout</c>
    /// accepted). No message this throws shows the password.
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

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = host.Length == 0 ? "localhost" : host,
            Port = port,
            Database = database,
            // The writer holds one connection for its lifetime and exports open one each: a pool adds nothing,
            // and pooled connections would outlive a disposed logger.
            Pooling = false,
            // A server that does not answer must not hold the writer for Npgsql's default 15 s before spooling.
            Timeout = 5,
        };
        if (!string.IsNullOrEmpty(user))
        {
            builder.Username = user;
        }

        if (password is not null)
        {
            builder.Password = password;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(equals < 0 ? pair : pair[..equals]).Trim();
            var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            if (key.Length == 0 || Reserved.Contains(key))
            {
                throw Bad($"sets '{key}' as a parameter; give it in the URL's user, host, port or database part");
            }

            try
            {
                builder[LibpqNames.GetValueOrDefault(key, key)] = value;
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                // Not the driver's message: it may repeat the value, and the key alone says enough.
                throw Bad($"has a parameter '{key}' that PostgreSQL connections do not take, or a value it cannot use");
            }
        }

        return new DatabaseUrl(DatabaseKind.PostgreSql, redacted, null, builder.ConnectionString);
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
