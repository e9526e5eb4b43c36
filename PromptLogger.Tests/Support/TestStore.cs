using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Storage;

namespace PromptLogging.Tests.Support;

/// <summary>
/// A fresh, empty store of either kind for one test: a SQLite file in a temporary folder, or a PostgreSQL database
/// with a random name (dropped at dispose). <see cref="Temp"/> is a temporary folder for outputs in both cases.
/// </summary>
public sealed class TestStore : IDisposable
{
    private readonly string? _serverUrl;
    private readonly string? _databaseName;

    private TestStore(StoreKind kind)
    {
        Kind = kind;
        if (kind == StoreKind.PostgreSql)
        {
            _serverUrl = TestPostgres.ServerUrl();
            Temp = new TempFolder();
            Url = TestPostgres.CreateDatabase(_serverUrl, out var name);
            _databaseName = name;
        }
        else
        {
            Temp = new TempFolder();
            Url = Temp.DatabaseUrl();
        }
    }

    public StoreKind Kind { get; }

    /// <summary>The database URL to give a <see cref="PromptLogger"/> or the command.</summary>
    public string Url { get; }

    /// <summary>A temporary folder for exports (and, for SQLite, the database file).</summary>
    public TempFolder Temp { get; }

    /// <summary>Creates the store, or skips the test when it is PostgreSQL and no server was given.</summary>
    public static TestStore Create(StoreKind kind) => new(kind);

    /// <summary>A connection of the test's own, to look at what PromptLogger stored.</summary>
    public DbConnection Open()
    {
        if (Kind == StoreKind.PostgreSql)
        {
            return TestPostgres.Open(Url);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Temp.File("prompts.db"), Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public long CountPrompts()
    {
        using var connection = Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM prompts");
    }

    /// <summary>The stored prompts' text column, in insertion order.</summary>
    public List<string> Prompts()
    {
        using var connection = Open();
        var order = Kind == StoreKind.PostgreSql ? "seq" : "rowid";
        return connection.Query<string>($"SELECT prompt FROM prompts ORDER BY {order}").ToList();
    }

    /// <summary>Takes the store's write lock until disposed: the logger's writes wait for it.</summary>
    public IDisposable HoldWriteLock()
    {
        var connection = Open();
        if (connection is SqliteConnection sqlite)
        {
            // BEGIN IMMEDIATE: the write lock is taken now.
            return new Releaser(connection, sqlite.BeginTransaction(deferred: false));
        }

        // PostgreSQL: a table lock that INSERT waits for.
        var transaction = connection.BeginTransaction();
        connection.Execute("LOCK TABLE prompts IN SHARE ROW EXCLUSIVE MODE", transaction: transaction);
        return new Releaser(connection, transaction);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (_databaseName is not null)
        {
            TestPostgres.DropDatabase(_serverUrl!, _databaseName);
            // A server database's spool folder is outside Temp; one left by a test goes with its database.
            var spoolFolder = Path.GetDirectoryName(PostgresStore.SpoolPathFor(DatabaseUrl.Parse(Url).Server!))!;
            if (Directory.Exists(spoolFolder))
            {
                Directory.Delete(spoolFolder, recursive: true);
            }
        }

        Temp.Dispose();
    }

    private sealed class Releaser(DbConnection connection, DbTransaction transaction) : IDisposable
    {
        private bool _released;

        public void Dispose()
        {
            if (_released)
            {
                return;
            }

            _released = true;
            transaction.Rollback();
            transaction.Dispose();
            connection.Dispose();
        }
    }
}
