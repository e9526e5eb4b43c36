using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Files;

namespace PromptLogging.Storage;

/// <summary>
/// The SQLite file behind a logger: opens connections tuned for many writers (WAL, busy timeout),
/// creates and migrates the schema.
/// </summary>
internal sealed class SqliteStore : PromptStore
{
    /// <summary>How long a write waits for another process's lock before the batch is spooled instead.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    private readonly int _busyTimeoutMilliseconds;

    public SqliteStore(DatabaseUrl url, TimeSpan? busyTimeout = null)
        : base(url)
    {
        FilePath = url.FilePath ?? throw new ArgumentException($"'{url}' is not a SQLite URL.", nameof(url));
        _busyTimeoutMilliseconds = (int)(busyTimeout ?? DefaultBusyTimeout).TotalMilliseconds;
    }

    public string FilePath { get; }

    public override string DisplayName => FilePath;

    /// <summary>Spool files sit beside the database: <c>prompts.db.spool-*.jsonl</c>.</summary>
    public override string SpoolPath => FilePath;

    public override string InsertionOrderColumn => "rowid";

    public override IReadOnlyList<string> OwnFiles => [FilePath, FilePath + "-wal", FilePath + "-shm"];

    public override bool StillExists => File.Exists(FilePath);

    /// <summary>Opens a connection that may write; creates the file (owner-only on Unix) and its folder if missing.</summary>
    public override SqliteConnection OpenForWriting()
    {
        CreateFileIfMissing(FilePath);
        ThrowIfNotAFile();
        return Open(SqliteOpenMode.ReadWrite);
    }

    /// <exception cref="FileNotFoundException">The database file does not exist.</exception>
    protected override DbConnection OpenExistingConnection()
    {
        ThrowIfMissing();
        ThrowIfNotAFile();
        return Open(SqliteOpenMode.ReadWrite);
    }

    protected override int SchemaVersion(DbConnection connection) => Recognise();

    /// <summary>Opens a read-only connection; never creates anything.</summary>
    /// <exception cref="FileNotFoundException">The database file does not exist.</exception>
    public override SqliteConnection OpenForReading()
    {
        ThrowIfMissing();
        ThrowIfNotAFile();
        return Open(SqliteOpenMode.ReadOnly);
    }

    /// <exception cref="FileNotFoundException">The database file does not exist.</exception>
    public void ThrowIfMissing()
    {
        if (!File.Exists(FilePath))
        {
            throw new FileNotFoundException($"database not found: {FilePath}", FilePath);
        }
    }

    /// <summary>
    /// Refuses a database path that reaches a FIFO, a device or a socket (through links or not) before anything opens
    /// it: opening a FIFO waits for a writer forever (an export hung, deaf to its first SIGTERM), and a device is
    /// nobody's database.
    /// </summary>
    /// <exception cref="InvalidOperationException">The path reaches something other than a regular file.</exception>
    private void ThrowIfNotAFile()
    {
        if (Files.FileIdentity.Of(FilePath) is { IsRegular: false } identity)
        {
            throw new InvalidOperationException(
                $"The file '{FilePath}' is not a PromptLogger database: it is a {Describe(identity.Kind)}, not a regular file. " +
                "It was left untouched; point the logger at another file.");
        }
    }

    private static string Describe(Files.FileKind kind) => kind switch
    {
        Files.FileKind.Directory => "folder",
        Files.FileKind.Fifo => "FIFO (named pipe)",
        Files.FileKind.CharacterDevice or Files.FileKind.BlockDevice => "device",
        Files.FileKind.Socket => "socket",
        _ => "special file",
    };

    /// <summary>
    /// Switches the open database to WAL and brings its schema to <see cref="Schema.CurrentVersion"/>, marking it
    /// with PromptLogger's <c>application_id</c>.
    /// </summary>
    /// <exception cref="UnsupportedSchemaVersionException">The file was written by a newer PromptLogger; it is left unchanged.</exception>
    /// <exception cref="InvalidOperationException">The file is not empty and not PromptLogger's; it is left unchanged.</exception>
    public override void Migrate(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var sqlite = (SqliteConnection)connection;

        // Checked before anything is written, WAL switch included: a newer or a foreign file must be left exactly as it was.
        Recognise();

        // WAL lets several processes log into one file while others read it; it cannot be set inside a transaction.
        connection.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");

        // BEGIN IMMEDIATE: two processes opening a new file at once must not both create the tables. Checked again
        // under the lock: another process may have created (or replaced) the schema since.
        using var transaction = sqlite.BeginTransaction(deferred: false);
        var version = SqliteFileCheck.Recognise(sqlite, FilePath, transaction);

        for (var step = version; step < Schema.CurrentVersion; step++)
        {
            connection.Execute(Schema.Steps[step], transaction: transaction);
        }

        if (version != Schema.CurrentVersion)
        {
            connection.Execute(
                $"PRAGMA user_version = {Schema.CurrentVersion}; PRAGMA application_id = {SqliteFileCheck.ApplicationId};",
                transaction: transaction);
        }

        transaction.Commit();
    }

    /// <summary>Checks that a database can be read by this version without changing it.</summary>
    public override void EnsureReadable(DbConnection connection)
    {
        var version = Recognise();
        if (version < Schema.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database '{FilePath}' has schema version {version}, older than this PromptLogger's {Schema.CurrentVersion}. " +
                "Open it once with a PromptLogger (which migrates it) before exporting from it read-only.");
        }
    }

    /// <summary>
    /// The file's schema version (0: empty), read on a read-only connection of its own, before the caller's connection
    /// has read or written anything: a file that is not PromptLogger's must be left exactly as it was, with nothing
    /// created beside it (a read, even read-only, of a WAL database creates its <c>-wal</c> and <c>-shm</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is not empty and not PromptLogger's.</exception>
    /// <exception cref="UnsupportedSchemaVersionException">The file was written by a newer PromptLogger.</exception>
    private int Recognise()
    {
        // SQLite takes no host in a file: URI, so a UNC path is read the ordinary way.
        var immutable = SqliteFileCheck.IsClosedWalDatabase(FilePath) && !new Uri(FilePath).IsUnc;
        using var connection = Open(SqliteOpenMode.ReadOnly, immutable);
        return SqliteFileCheck.Recognise(connection, FilePath);
    }

    public override Export.PromptRows QueryPrompts(DbConnection connection, string sql, IReadOnlyList<KeyValuePair<string, string>> parameters) =>
        new Export.SqlitePromptRows((SqliteConnection)connection, sql, parameters);

    public override IBatchInserter CreateInserter(DbConnection connection) => new PromptBatchInserter((SqliteConnection)connection);

    public override Exception? AsWrongStore(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 26 /* SQLITE_NOTADB */ or 11 /* SQLITE_CORRUPT */ }
            ? new InvalidOperationException(
                $"The file '{FilePath}' is not a PromptLogger SQLite database ({exception.Message}). " +
                "It was left untouched; point the logger at another file.", exception)
            : null;

    public override bool IsUnavailable(Exception exception) =>
        exception is SqliteException or IOException or UnauthorizedAccessException;

    /// <param name="mode">Whether the connection may write.</param>
    /// <param name="immutable">Read the file as one that cannot change: no locks, no <c>-wal</c> nor <c>-shm</c>.</param>
    private SqliteConnection Open(SqliteOpenMode mode, bool immutable = false)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = immutable ? new Uri(FilePath).AbsoluteUri + "?immutable=1" : FilePath,
            Mode = mode,
            // A pooled connection keeps the file open after the logger is disposed; loggers are long-lived anyway.
            Pooling = false,
            DefaultTimeout = Math.Max(1, _busyTimeoutMilliseconds / 1000),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            connection.Execute($"PRAGMA busy_timeout = {_busyTimeoutMilliseconds};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void CreateFileIfMissing(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        try
        {
            using var _ = OwnerOnlyFile.CreateNew(path, FileAccess.Write);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: fine.
        }
    }
}
