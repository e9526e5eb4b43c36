using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace PromptLogging.Storage;

/// <summary>
/// Tells a PromptLogger SQLite database from any other file at the database path — another application's database,
/// one that only happens to carry a user_version we use, a file that is not SQLite at all — by reading only.
/// </summary>
/// <remarks>
/// Ours is an empty file (0 bytes, or a SQLite database with nothing in it: what a logger leaves for an instant
/// between switching a new file to WAL and creating its tables), or a database marked with
/// <see cref="ApplicationId"/> or not marked at all (files written before the marker was set) whose tables have the
/// columns that the schema steps up to its user_version create. Callers check before switching the journal mode or
/// migrating, so that a file that is not ours is left byte-for-byte as it was.
/// </remarks>
internal static class SqliteFileCheck
{
    /// <summary>PromptLogger's <c>PRAGMA application_id</c>: "PrLg" in ASCII, at offset 68 of the file's header.</summary>
    public const int ApplicationId = 0x50724C67;

    private const int SqliteNotADatabase = 26;

    private static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;

    // The tables and columns each schema version has, built once by running the steps on an in-memory database.
    private static readonly Lazy<IReadOnlyDictionary<string, string[]>[]> ExpectedTables = new(BuildExpectedTables);

    /// <summary>
    /// The schema version of the database at <paramref name="filePath"/>, read on <paramref name="connection"/>: 0 when
    /// it is empty, otherwise the PromptLogger schema version it holds.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is not empty and not recognisably PromptLogger's.</exception>
    /// <exception cref="UnsupportedSchemaVersionException">PromptLogger's, written by a newer PromptLogger.</exception>
    public static int Recognise(SqliteConnection connection, string filePath, SqliteTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ThrowIfNotSqlite(filePath);
        try
        {
            // One read transaction, one snapshot: read statement by statement, a logger creating the schema in another
            // process between two of them would show its tables with the user_version of before.
            using var snapshot = transaction is null ? connection.BeginTransaction(deferred: true) : null;
            return Recognise(new Reader(connection, transaction ?? snapshot), filePath);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteNotADatabase)
        {
            throw NotOurs(filePath, "it is not a SQLite database", exception);
        }
    }

    private static int Recognise(Reader reader, string filePath)
    {
        var applicationId = reader.Scalar<int>("PRAGMA application_id");
        var version = reader.Scalar<int>("PRAGMA user_version");
        if (applicationId is not (0 or ApplicationId))
        {
            throw NotOurs(filePath, string.Create(
                CultureInfo.InvariantCulture,
                $"its application_id 0x{applicationId:X8} marks it as another application's (PromptLogger's is 0x{ApplicationId:X8})"));
        }

        if (version == 0)
        {
            if (reader.Scalar<long>("SELECT count(*) FROM sqlite_schema") == 0)
            {
                return 0;
            }

            var tables = reader.Tables();
            throw NotOurs(filePath, tables.Count == 0
                ? "it has a schema but no PromptLogger schema (user_version 0)"
                : $"it has tables ({string.Join(", ", tables)}) but no PromptLogger schema (user_version 0)");
        }

        if (version > Schema.CurrentVersion)
        {
            // A newer PromptLogger marks its files; older files of ours are recognised by today's tables, which a newer
            // schema keeps (steps only ever add).
            if (applicationId == ApplicationId || Differences(reader, Schema.CurrentVersion, exact: false).Count == 0)
            {
                throw new UnsupportedSchemaVersionException(filePath, version, Schema.CurrentVersion);
            }

            throw NotOurs(filePath, string.Create(
                CultureInfo.InvariantCulture,
                $"its user_version {version} is no PromptLogger schema version (this one writes {Schema.CurrentVersion}) and it does not have PromptLogger's tables"));
        }

        var differences = Differences(reader, version, exact: true);
        if (differences.Count > 0)
        {
            throw NotOurs(filePath, string.Create(
                CultureInfo.InvariantCulture,
                $"its user_version is {version}, a PromptLogger schema version, but {string.Join("; and ", differences)}"));
        }

        return version;
    }

    /// <summary>
    /// How the database's tables differ from those of schema <paramref name="version"/>; empty when they match.
    /// Extra columns count only when <paramref name="exact"/> (a newer schema may have added some).
    /// </summary>
    private static List<string> Differences(Reader reader, int version, bool exact)
    {
        var differences = new List<string>();
        foreach (var (table, expected) in ExpectedTables.Value[version - 1])
        {
            var actual = reader.Columns(table);
            if (actual.Length == 0)
            {
                differences.Add($"it has no {table} table");
            }
            else if (exact ? !actual.SequenceEqual(expected, StringComparer.Ordinal) : expected.Except(actual, StringComparer.Ordinal).Any())
            {
                differences.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"its {table} table has the columns ({string.Join(", ", actual)}), not PromptLogger's ({string.Join(", ", expected)}) of schema version {version}"));
            }
        }

        return differences;
    }

    /// <summary>
    /// Whether the file is a WAL database that no one has open and whose log is fully checkpointed (no <c>-wal</c>
    /// nor <c>-shm</c> beside it): then the file alone is the whole database, and reading it as <c>immutable</c> is
    /// the only way to read it without creating a <c>-wal</c> and <c>-shm</c> that a read-only connection leaves behind.
    /// </summary>
    public static bool IsClosedWalDatabase(string filePath) =>
        ReadHeader(filePath) is { Length: >= 20 } header && header.AsSpan(0, 16).SequenceEqual(SqliteMagic) && header[18] == 2 &&
        !File.Exists(filePath + "-wal") && !File.Exists(filePath + "-shm");

    /// <summary>
    /// Checks the header's magic string: SQLite reads a file shorter than a page that does not start with it as an
    /// empty database, which the WAL switch would then overwrite.
    /// </summary>
    private static void ThrowIfNotSqlite(string filePath)
    {
        if (ReadHeader(filePath) is { Length: > 0 } header &&
            (header.Length < SqliteMagic.Length || !header.AsSpan(0, SqliteMagic.Length).SequenceEqual(SqliteMagic)))
        {
            throw NotOurs(filePath, "it is not a SQLite database");
        }
    }

    /// <summary>The file's first 20 bytes (fewer when it is shorter); null when it cannot be read here.</summary>
    private static byte[]? ReadHeader(string filePath)
    {
        try
        {
            using var file = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var header = new byte[20];
            var read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            return header[..read];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Unreadable here: SQLite reports it (not a database, or unavailable) on the first read.
            return null;
        }
    }

    private static InvalidOperationException NotOurs(string filePath, string why, Exception? inner = null) => new(
        $"The file '{filePath}' is not a PromptLogger database: {why}. " +
        "It was left unchanged; point the logger at another file (or move this one away).", inner);

    private static IReadOnlyDictionary<string, string[]>[] BuildExpectedTables()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var reader = new Reader(connection, null);
        var versions = new IReadOnlyDictionary<string, string[]>[Schema.CurrentVersion];
        for (var step = 0; step < Schema.CurrentVersion; step++)
        {
            connection.Execute(Schema.Steps[step]);
            versions[step] = reader.Tables().ToDictionary(table => table, reader.Columns, StringComparer.Ordinal);
        }

        return versions;
    }

    /// <summary>The read-only queries the check runs, on one connection and (optionally) its transaction.</summary>
    private readonly record struct Reader(SqliteConnection Connection, SqliteTransaction? Transaction)
    {
        public T Scalar<T>(string sql) => Connection.ExecuteScalar<T>(sql, transaction: Transaction)!;

        /// <summary>The table names, sorted, without SQLite's own.</summary>
        public List<string> Tables() =>
        [
            .. Connection.Query<string>(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                transaction: Transaction),
        ];

        /// <summary>The column names of <paramref name="table"/>, sorted; none when there is no such table.</summary>
        public string[] Columns(string table) =>
        [
            .. Connection.Query<string>("SELECT name FROM pragma_table_info(@table) ORDER BY name", new { table }, Transaction),
        ];
    }
}
