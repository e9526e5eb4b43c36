using System.Data.Common;
using Dapper;
using PromptLogging.Export;
using PromptLogging.Storage;
using PromptLogging.Storage.Search;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Storage.Search;

/// <summary>
/// A database from before search (version 4) with rows: the upgrade creates an empty index, so a logger opening it does
/// not wait for an index build; the first search indexes the old rows.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class SearchMigrationTests(StoreKind kind)
{
    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(kind);

    [TearDown]
    public void TearDown() => _store?.Dispose();

    private DatabaseKind Dialect => kind == StoreKind.PostgreSql ? DatabaseKind.PostgreSql : DatabaseKind.Sqlite;

    [Test]
    public void VersionFourDatabase_IsUpgradedWithAnEmptyIndex_AndTheFirstSearchFindsItsOldRows()
    {
        var old = StoredRecords.Chat("default", "an old question about capybaras");
        CreateVersionFour(old);

        using (var logger = new PromptLogger("default", _store.Url))
        {
            logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "a new question about capybaras", "ok"));
        }

        using (var connection = _store.Open())
        {
            Assert.That(Version(connection), Is.EqualTo(Schema.CurrentVersion));
            Assert.That(Indexed(connection), Is.Zero, "opening the database built no index");
        }

        var store = PromptStore.Create(DatabaseUrl.Parse(_store.Url));
        using var search = store.OpenExistingForWriting();
        Assert.That(SearchIndex.CatchUp(search, Dialect), Is.EqualTo(2));
        var hits = PromptSearch.Run(search, Dialect, ExportFilter.Create("default", null), PromptRecord.ChatKind, "capybaras", 20);
        Assert.That(hits, Has.Count.EqualTo(2));
        Assert.That(hits.Select(h => h.Id), Does.Contain(old.Id));
    }

    [Test]
    public void SqliteRowidsReused_AfterTheNewestRowsWereDeleted_TheIndexIsRebuiltNotTrusted()
    {
        if (kind != StoreKind.Sqlite)
        {
            Assert.Ignore("PostgreSQL's seq is never reused");
        }

        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "keep walrus"), StoredRecords.Chat("default", "gone narwhal"));
        Assert.That(Search("narwhal"), Has.Count.EqualTo(1));
        using (var connection = _store.Open())
        {
            // The newest row goes; the next one stored takes its rowid.
            connection.Execute("DELETE FROM prompts WHERE rowid = (SELECT max(rowid) FROM prompts)");
        }

        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "fresh beluga"));

        Assert.That(Search("narwhal"), Is.Empty, "the deleted row's words are not found in the row that took its rowid");
        Assert.That(Search("beluga"), Has.Count.EqualTo(1));
        Assert.That(Search("walrus"), Has.Count.EqualTo(1));
    }

    private IReadOnlyList<SearchHit> Search(string query)
    {
        var store = PromptStore.Create(DatabaseUrl.Parse(_store.Url));
        using var connection = store.OpenExistingForWriting();
        SearchIndex.CatchUp(connection, Dialect);
        return PromptSearch.Run(connection, Dialect, ExportFilter.Create("default", null), PromptRecord.ChatKind, query, 20);
    }

    /// <summary>The database as PromptLogger's version 4 left it, holding <paramref name="records"/>.</summary>
    private void CreateVersionFour(params PromptRecord[] records)
    {
        var store = PromptStore.Create(DatabaseUrl.Parse(_store.Url));
        using var connection = store.OpenForWriting();
        foreach (var step in SchemaSteps.For(Dialect).Take(4))
        {
            connection.Execute(step);
        }

        connection.Execute(kind == StoreKind.PostgreSql
            ? $"CREATE TABLE {PostgresSchema.VersionTable} (version integer NOT NULL); INSERT INTO {PostgresSchema.VersionTable} VALUES (4)"
            : $"PRAGMA user_version = 4; PRAGMA application_id = {SqliteFileCheck.ApplicationId}");
        using var inserter = store.CreateInserter(connection);
        inserter.Insert(records);
    }

    private int Version(DbConnection connection) => kind == StoreKind.PostgreSql
        ? connection.ExecuteScalar<int>($"SELECT version FROM {PostgresSchema.VersionTable}")
        : connection.ExecuteScalar<int>("PRAGMA user_version");

    private long Indexed(DbConnection connection) => kind == StoreKind.PostgreSql
        ? connection.ExecuteScalar<long>($"SELECT count(*) FROM {SearchSchema.PostgresIndex}")
        : connection.ExecuteScalar<long>($"SELECT count(*) FROM {SearchSchema.SqliteIndex}_docsize");
}
