using System.Data.Common;

namespace PromptLogging.Storage;

/// <summary>
/// Where a logger's records live: opens connections, brings the schema to <see cref="Schema.CurrentVersion"/>,
/// writes batches, and says what is dialect-specific about reading them back.
/// </summary>
/// <remarks>
/// <see cref="SqliteStore"/> is a file beside the application; <see cref="PostgresStore"/> a server that several
/// processes on several machines log into, opened through the PromptLogger.PostgreSql package (<see cref="StoreProviders"/>). Both hold the same records in the same logical tables, so the writer,
/// the exporters and the command line work with either.
/// </remarks>
internal abstract class PromptStore
{
    protected PromptStore(DatabaseUrl url) => Url = url;

    public DatabaseUrl Url { get; }

    /// <summary>How messages and logs name the store: a file path, or the URL with its password masked.</summary>
    public abstract string DisplayName { get; }

    /// <summary>
    /// The path that spool files are named after (<c>PATH.spool-*.jsonl</c>): beside a SQLite file, or in a local
    /// folder for a server database.
    /// </summary>
    public abstract string SpoolPath { get; }

    /// <summary>The column whose order is insertion order; exports sort by it so that they stream.</summary>
    public abstract string InsertionOrderColumn { get; }

    /// <summary>Local files an export must never overwrite (the database itself); none for a server.</summary>
    public virtual IReadOnlyList<string> OwnFiles => [];

    /// <summary>Creates the store for <paramref name="url"/>.</summary>
    /// <param name="url">The database.</param>
    /// <param name="busyTimeout">How long a SQLite write waits for another process's lock.</param>
    /// <param name="commandTimeout">How long a PostgreSQL command may run before it is abandoned.</param>
    /// <param name="paramName">The argument the URL came from, for an <see cref="ArgumentException"/>.</param>
    /// <exception cref="ArgumentException">
    /// A server database whose package (PromptLogger.PostgreSql) the application does not reference, or a URL
    /// parameter its driver does not take.
    /// </exception>
    public static PromptStore Create(DatabaseUrl url, TimeSpan? busyTimeout = null, TimeSpan? commandTimeout = null, string paramName = "database") => url.Kind switch
    {
        DatabaseKind.Sqlite => new SqliteStore(url, busyTimeout),
        _ => StoreProviders.Require(url, paramName).Create(url, commandTimeout, paramName),
    };

    /// <summary>Opens a connection that may write (creating a SQLite file if missing; never a server database).</summary>
    public abstract DbConnection OpenForWriting();

    /// <summary>
    /// Opens a connection that may write to a PromptLogger database that already exists, migrated as a logger would;
    /// never creates a database, a file, nor a schema in a database that has none.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database has no PromptLogger schema.</exception>
    public DbConnection OpenExistingForWriting()
    {
        var connection = OpenExistingConnection();
        try
        {
            if (SchemaVersion(connection) == 0)
            {
                throw new InvalidOperationException(
                    $"'{DisplayName}' is not a PromptLogger database: it has no PromptLogger schema. Log to it with a PromptLogger first.");
            }

            Migrate(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens a writable connection to the database only if it exists (<see cref="OpenForWriting"/> by default).</summary>
    protected virtual DbConnection OpenExistingConnection() => OpenForWriting();

    /// <summary>The schema version the open database holds; 0 when it holds no PromptLogger schema.</summary>
    protected abstract int SchemaVersion(DbConnection connection);

    /// <summary>Opens a connection that only reads; never creates anything.</summary>
    public abstract DbConnection OpenForReading();

    /// <summary>Runs an export query (with <c>@name</c> parameters) on a connection from <see cref="OpenForReading"/>.</summary>
    public virtual Export.PromptRows QueryPrompts(DbConnection connection, string sql, IReadOnlyList<KeyValuePair<string, string>> parameters) =>
        Export.PromptRows.Query(connection, sql, parameters);

    /// <summary>Brings the schema to <see cref="Schema.CurrentVersion"/>; safe when several processes do it at once.</summary>
    /// <exception cref="UnsupportedSchemaVersionException">The database was written by a newer PromptLogger; it is left unchanged.</exception>
    public abstract void Migrate(DbConnection connection);

    /// <summary>Checks, without changing anything, that the database holds a schema this version reads.</summary>
    /// <exception cref="InvalidOperationException">No PromptLogger schema, or an older or newer one.</exception>
    public abstract void EnsureReadable(DbConnection connection);

    /// <summary>The batch writer for a connection opened by <see cref="OpenForWriting"/> and migrated.</summary>
    public abstract IBatchInserter CreateInserter(DbConnection connection);

    /// <summary>
    /// Whether the database an open writer points at is still there. False when a SQLite file was deleted under
    /// it: writes would go to an unlinked file and vanish.
    /// </summary>
    public virtual bool StillExists => true;

    /// <summary>
    /// A failure to open and migrate that means the store is wrong and will stay wrong (not a database, bad
    /// credentials, no such database), as the exception the logger's constructor throws; null otherwise.
    /// </summary>
    public abstract Exception? AsWrongStore(Exception exception);

    /// <summary>
    /// Whether a failure means the store is merely unavailable now (locked, unreachable, read-only, full): the
    /// logger spools records and tries again later.
    /// </summary>
    public abstract bool IsUnavailable(Exception exception);

    public override string ToString() => DisplayName;
}
