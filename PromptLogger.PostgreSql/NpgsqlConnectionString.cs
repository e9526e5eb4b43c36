using Npgsql;
using PromptLogging.Storage;

namespace PromptLogging.PostgreSql;

/// <summary>Builds Npgsql's connection string from a <c>postgresql://</c> URL's parts (<see cref="ServerAddress"/>).</summary>
internal static class NpgsqlConnectionString
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

    /// <summary>
    /// The connection string for <paramref name="url"/>: its host, port, database, user and password, no pooling, a
    /// 5-second connect timeout, then its parameters (libpq's names accepted). No message this throws shows the
    /// password nor a parameter's value.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter Npgsql does not take, or a value it cannot use; or no server URL.</exception>
    public static string For(DatabaseUrl url, string paramName = "database")
    {
        ArgumentNullException.ThrowIfNull(url);
        var server = url.Server ?? throw new ArgumentException($"'{url}' is not a PostgreSQL URL.", paramName);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = server.Host,
            Port = server.Port,
            Database = server.Database,
            // The writer holds one connection for its lifetime and exports open one each: a pool adds nothing,
            // and pooled connections would outlive a disposed logger.
            Pooling = false,
            // A server that does not answer must not hold the writer for Npgsql's default 15 s before spooling.
            Timeout = 5,
        };
        if (server.User is not null)
        {
            builder.Username = server.User;
        }

        if (server.Password is not null)
        {
            builder.Password = server.Password;
        }

        foreach (var (key, value) in server.Parameters)
        {
            try
            {
                builder[LibpqNames.GetValueOrDefault(key, key)] = value;
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                // Not the driver's message: it may repeat the value, and the key alone says enough.
                throw new ArgumentException(
                    $"The database URL '{url.Redacted}' has a parameter '{key}' that PostgreSQL connections do not take, " +
                    $"or a value it cannot use; {DatabaseUrl.AcceptedForms}.", paramName);
            }
        }

        return builder.ConnectionString;
    }
}
