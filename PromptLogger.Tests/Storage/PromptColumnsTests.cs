using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Storage;

/// <summary>
/// The prompts table is described once (<see cref="PromptColumns"/>): both stores must hold exactly those columns,
/// with the same names, order, nullability and matching types, whether created new or migrated from version 1.
/// </summary>
public sealed class PromptColumnsTests
{
    // Version 1 of SQLite as released (see SchemaMigrationTests): a database migrated from it must end like a new one.
    private const string SqliteVersionOne = """
        CREATE TABLE models (id TEXT PRIMARY KEY, namespace TEXT NOT NULL, name TEXT NOT NULL, version TEXT,
            provider TEXT, description TEXT, created REAL NOT NULL, UNIQUE (namespace, name));
        CREATE TABLE prompts (id TEXT PRIMARY KEY, namespace TEXT NOT NULL, kind TEXT NOT NULL, model TEXT,
            messages TEXT, generation_kwargs TEXT, completions TEXT, prompt TEXT, response TEXT,
            inference_on REAL NOT NULL, inference_seconds REAL);
        CREATE INDEX ix_prompts_namespace_kind ON prompts (namespace, kind);
        PRAGMA user_version = 1;
        """;

    [Test]
    public void SqliteAndPostgresTables_HaveTheSameColumns()
    {
        using var sqlite = TestStore.Create(StoreKind.Sqlite);
        using var postgres = TestStore.Create(StoreKind.PostgreSql);
        using (new PromptLogger("ns", sqlite.Url))
        using (new PromptLogger("ns", postgres.Url))
        {
        }

        using var sqliteConnection = sqlite.Open();
        using var postgresConnection = postgres.Open();
        var sqliteColumns = SqliteColumns(sqliteConnection);
        var postgresColumns = PostgresColumns(postgresConnection);

        Assert.That(postgresColumns.Select(c => c.Name), Is.EqualTo(sqliteColumns.Select(c => c.Name)), "the same names in the same order");
        Assert.That(postgresColumns.Select(c => c.NotNull), Is.EqualTo(sqliteColumns.Select(c => c.NotNull)), "the same nullability");
        Assert.That(postgresColumns.Select(c => Mapped(c.Type)), Is.EqualTo(sqliteColumns.Select(c => c.Type)), "matching types");
        Assert.That(sqliteColumns.Select(c => c.Name), Is.EquivalentTo(PromptColumns.All.Select(c => c.Name)), "every described column, and no other");
        Assert.That(sqliteColumns.Single(c => c.Name == "stream").NotNull, Is.True);
        Assert.That(postgresColumns.Single(c => c.Name == "input_tokens").Type, Is.EqualTo("bigint"));
        Assert.That(postgresColumns.Single(c => c.Name == "messages").Type, Is.EqualTo("text"), "JSON kept as text, byte for byte");
    }

    [Test]
    public void SqliteDatabaseMigratedFromVersionOne_HasTheColumnsOfANewOne()
    {
        using var fresh = TestStore.Create(StoreKind.Sqlite);
        using var temp = new TempFolder();
        var oldPath = temp.File("old.db");
        using (var connection = OpenSqlite(oldPath))
        {
            connection.Execute(SqliteVersionOne);
        }

        using (new PromptLogger("ns", fresh.Url))
        using (new PromptLogger("ns", "sqlite:///" + oldPath))
        {
        }

        using var freshConnection = fresh.Open();
        using var oldConnection = OpenSqlite(oldPath);
        Assert.That(SqliteColumns(oldConnection), Is.EquivalentTo(SqliteColumns(freshConnection)));
        Assert.That(Indexes(oldConnection), Is.EquivalentTo(Indexes(freshConnection)));
        Assert.That(Indexes(freshConnection), Does.Contain("ix_prompts_conversation").And.Contain("ix_prompts_user").And.Contain("ix_prompts_thread_key"));
    }

    [Test]
    public void Steps_AddEachDescribedColumnOnce()
    {
        var added = Schema.Steps.SelectMany(step => PromptColumns.All.Where(c =>
            step.Contains("ADD COLUMN " + c.Name + " ", StringComparison.Ordinal) ||
            (step.Contains("CREATE TABLE prompts", StringComparison.Ordinal) &&
             step[step.IndexOf("CREATE TABLE prompts", StringComparison.Ordinal)..].Contains("\n    " + c.Name + " ", StringComparison.Ordinal))));
        Assert.That(added.Select(c => c.Name), Is.EquivalentTo(PromptColumns.All.Select(c => c.Name)));
        // A version may add no column (5: the time indexes, 6: the search index), never a column no version adds.
        Assert.That(Schema.CurrentVersion, Is.GreaterThanOrEqualTo(PromptColumns.All.Max(c => c.Since)));
    }

    private static string Mapped(string postgresType) => postgresType switch
    {
        "text" => "TEXT",
        "bigint" or "integer" => "INTEGER",
        "double precision" => "REAL",
        _ => "unexpected " + postgresType,
    };

    private sealed record Column(string Name, string Type, bool NotNull);

    private static List<Column> SqliteColumns(DbConnection connection) =>
        [.. connection.Query<(string Name, string Type, long NotNull)>("SELECT name, type, \"notnull\" FROM pragma_table_info('prompts') ORDER BY cid")
            .Select(c => new Column(c.Name, c.Type, c.NotNull == 1 || c.Name == "id"))];

    private static List<Column> PostgresColumns(DbConnection connection) =>
        [.. connection.Query<(string Name, string Type, string Nullable)>(
                "SELECT column_name, data_type, is_nullable FROM information_schema.columns " +
                "WHERE table_schema = current_schema() AND table_name = 'prompts' AND column_name <> 'seq' ORDER BY ordinal_position")
            .Select(c => new Column(c.Name, c.Type, c.Nullable == "NO"))];

    private static List<string> Indexes(DbConnection connection) =>
        [.. connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'")];

    private static SqliteConnection OpenSqlite(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
