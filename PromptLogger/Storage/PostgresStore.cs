using System.Data.Common;
using Dapper;

namespace PromptLogging.Storage;

/// <summary>
/// A PostgreSQL database that several processes, on several machines, log into: creates and migrates the schema
/// under an advisory lock, never creates the database itself; spools into a local folder of this OS user.
/// </summary>
/// <remarks>
/// What needs no driver is here, in the core: the SQL of the schema and its migration (written against
/// <see cref="DbConnection"/> and Dapper), the spool folder, how messages name the database (its URL with the
/// password masked, <see cref="DatabaseUrl.Redacted"/>). Connections, the batch COPY and the driver's errors are
/// Npgsql's, in the PromptLogger.PostgreSql package (its <c>NpgsqlStore</c>, found by <see cref="StoreProviders"/>).
/// </remarks>
internal abstract class PostgresStore : PromptStore
{
    /// <summary>The default command timeout: a hung server holds a batch this long before it is spooled.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(10);

    protected PostgresStore(DatabaseUrl url)
        : base(url)
    {
        Server = url.Server ?? throw new ArgumentException($"'{url}' is not a PostgreSQL URL.", nameof(url));
        SpoolPath = SpoolPathFor(Server);
    }

    /// <summary>The database's address, password and parameters included: for the driver only.</summary>
    protected ServerAddress Server { get; }

    /// <summary>
    /// Where the records for <paramref name="server"/> are spooled while it is unreachable:
    /// <see cref="SpoolRoot"/>/<c>dbuser@host-port-database</c>/<c>prompts</c>.
    /// </summary>
    public static string SpoolPathFor(ServerAddress server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return Path.Combine(SpoolRoot, SafeName($"{server.User}@{server.Host}-{server.Port}-{server.Database}"), "prompts");
    }

    /// <summary>
    /// Where every PostgreSQL logger of this OS user spools, one folder per database (<c>dbuser@host-port-database</c>),
    /// so that records written while the server was unreachable are replayed by the next logger of this user that
    /// reaches it: a per-user folder, never a shared one — <c>$XDG_STATE_HOME/promptlogger</c> (by default
    /// <c>~/.local/state/promptlogger</c>) on Unix, <c>%LOCALAPPDATA%\PromptLogger</c> on Windows; only without a home
    /// folder, <c>TEMP/promptlogger-spool-USER</c>. Created owner-only, and used only while it is this user's alone
    /// (see <see cref="Writing.SpoolFolder"/>).
    /// </summary>
    public static string SpoolRoot
    {
        get
        {
            if (OperatingSystem.IsWindows())
            {
                var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
                if (!string.IsNullOrEmpty(local))
                {
                    return Path.Combine(local, "PromptLogger");
                }
            }
            else
            {
                // XDG: a relative value is invalid and must be ignored.
                var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
                if (!string.IsNullOrEmpty(state) && Path.IsPathFullyQualified(state))
                {
                    return Path.Combine(state, "promptlogger");
                }

                // A service account's home may not exist (/nonexistent): then the checked temp folder below.
                var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                if (!string.IsNullOrEmpty(home) && Path.IsPathFullyQualified(home) && Directory.Exists(home))
                {
                    return Path.Combine(home, ".local", "state", "promptlogger");
                }
            }

            return Path.Combine(Path.GetTempPath(), "promptlogger-spool-" + SafeName(Environment.UserName));
        }
    }

    public override string DisplayName => Url.Redacted;

    public override string SpoolPath { get; }

    public override string InsertionOrderColumn => "seq";

    public override void Migrate(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);

        // Every logger of a team checks at start; only the first after an upgrade takes the lock and writes.
        var version = ReadVersion(connection, null);
        ThrowIfNewer(version);
        if (version == Schema.CurrentVersion)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        // Held to the end of the transaction: processes starting at once migrate one after another, and the
        // later ones find the work done.
        connection.Execute("SELECT pg_advisory_xact_lock(@key)", new { key = PostgresSchema.MigrationLockKey }, transaction);
        version = ReadVersion(connection, transaction);
        ThrowIfNewer(version);
        if (version < Schema.CurrentVersion)
        {
            connection.Execute($"CREATE TABLE IF NOT EXISTS {PostgresSchema.VersionTable} (version integer NOT NULL)", transaction: transaction);
            for (var step = version; step < Schema.CurrentVersion; step++)
            {
                connection.Execute(PostgresSchema.Steps[step], transaction: transaction);
            }

            connection.Execute($"DELETE FROM {PostgresSchema.VersionTable}; INSERT INTO {PostgresSchema.VersionTable} (version) VALUES (@version)",
                new { version = Schema.CurrentVersion }, transaction);
        }

        transaction.Commit();
    }

    public override void EnsureReadable(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!HasVersionTable(connection, null))
        {
            throw new InvalidOperationException(
                $"no PromptLogger schema in database {DisplayName}: nothing was ever logged into it. " +
                "Check the database name, or log into it once with a PromptLogger (which creates the tables).");
        }

        var version = ReadVersion(connection, null);
        ThrowIfNewer(version);
        if (version < Schema.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database '{DisplayName}' has schema version {version}, older than this PromptLogger's {Schema.CurrentVersion}. " +
                "Open it once with a PromptLogger (which migrates it) before exporting from it read-only.");
        }
    }

    protected override int SchemaVersion(DbConnection connection) => ReadVersion(connection, null);

    private void ThrowIfNewer(int version)
    {
        if (version > Schema.CurrentVersion)
        {
            throw new UnsupportedSchemaVersionException(DisplayName, version, Schema.CurrentVersion);
        }
    }

    private static bool HasVersionTable(DbConnection connection, DbTransaction? transaction) =>
        connection.ExecuteScalar<bool>($"SELECT to_regclass('{PostgresSchema.VersionTable}') IS NOT NULL", transaction: transaction);

    private static int ReadVersion(DbConnection connection, DbTransaction? transaction) =>
        HasVersionTable(connection, transaction)
            ? connection.ExecuteScalar<int?>($"SELECT max(version) FROM {PostgresSchema.VersionTable}", transaction: transaction) ?? 0
            : 0;

    private static string SafeName(string text) =>
        string.Concat(text.Select(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' ? c : '_'));
}
