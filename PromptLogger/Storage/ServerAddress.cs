namespace PromptLogging.Storage;

/// <summary>
/// The parts of a server database URL (<c>postgresql://user:password@host:port/database?param=value</c>), decoded:
/// what the store's driver package builds its connection from.
/// </summary>
/// <remarks>
/// <see cref="Password"/> and the parameters are for the driver only: <see cref="ToString"/> shows neither, and
/// messages name the database by <see cref="DatabaseUrl.Redacted"/>. The parameters are checked by the driver's
/// package (which names them), not here.
/// </remarks>
internal sealed class ServerAddress
{
    public ServerAddress(string host, int port, string database, string? user, string? password, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        Host = host;
        Port = port;
        Database = database;
        User = user;
        Password = password;
        Parameters = parameters;
    }

    /// <summary>The host name or address (<c>localhost</c> when the URL names none); an IPv6 address without brackets.</summary>
    public string Host { get; }

    public int Port { get; }

    public string Database { get; }

    /// <summary>The user, or null for the driver's default.</summary>
    public string? User { get; }

    /// <summary>The password, or null when the URL gives none.</summary>
    public string? Password { get; }

    /// <summary>The URL's query parameters in order, names and values decoded, as the user spelled them (<c>sslmode</c>, <c>Search Path</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    /// <summary>Without the password and parameters: <c>user@host:port/database</c>.</summary>
    public override string ToString() => $"{User}@{Host}:{Port}/{Database}";
}
