using System.Data.Common;
using Dapper;
using PromptLogging.Browsing;
using PromptLogging.Export;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;
using PromptLogging.Tool.Browsing;

namespace PromptLogging.Tests.Browsing;

/// <summary>
/// Following by insertion order: records stored after the start are found even when an imported record's random
/// UUID sorts above every id this library makes; on PostgreSQL a transaction that commits late is still found.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class RecordFollowerTests(StoreKind kind)
{
    /// <summary>An id as the Python package makes them (UUID4), above every time-ordered id.</summary>
    internal const string HighImportedId = "ffffffff-ffff-4fff-bfff-ffffffffffff";

    private static readonly ExportFilter Default = ExportFilter.Create("default", null);

    [Test]
    public void RecordsStoredAfterAHighImportedId_AreFollowed_InInsertionOrder()
    {
        using var store = TestStore.Create(kind);
        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "imported") with { Id = HighImportedId });
        var promptStore = PromptStore.Create(DatabaseUrl.Parse(store.Url));
        using var connection = store.Open();
        var start = RecordFollower.LastPosition(connection, promptStore);
        var follower = RecordFollower.Start(connection, promptStore, Default, start);

        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "later 1"), StoredRecords.Chat("other", "elsewhere"));
        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "later 2"));
        var next = follower.Next(connection, 10);

        Assert.That(start, Is.GreaterThan(0));
        Assert.That(next.Select(n => Display.LastUserText(n.Record.Messages, n.Record.Prompt)), Is.EqualTo(new[] { "later 1", "later 2" }));
        Assert.That(next.Select(n => n.Position), Is.Ordered.Ascending.And.All.GreaterThan(start));
        Assert.That(follower.Next(connection, 10), Is.Empty, "nothing twice");
        Assert.That(follower.Position, Is.EqualTo(RecordFollower.LastPosition(connection, promptStore)));
    }

    [Test]
    public void ARecordAlreadyShown_IsNotReturnedAgain_AndABatchIsCutAtTheLimit()
    {
        using var store = TestStore.Create(kind);
        var promptStore = PromptStore.Create(DatabaseUrl.Parse(store.Url));
        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "first"));
        using var connection = store.Open();
        var follower = RecordFollower.Start(connection, promptStore, Default, 0, alreadyShown: connection.Query<string>("SELECT id FROM prompts").ToList());
        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "a"), StoredRecords.Chat("default", "b"), StoredRecords.Chat("default", "c"));

        var first = follower.Next(connection, 2);
        var rest = follower.Next(connection, 2);

        Assert.That(first.Concat(rest).Select(n => Display.LastUserText(n.Record.Messages, n.Record.Prompt)), Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public void PostgreSql_ATransactionCommittingAfterALaterSeqWasRead_IsStillFollowed()
    {
        if (kind != StoreKind.PostgreSql)
        {
            Skip.Because("SQLite has one writer at a time: rowids appear in order");
        }

        using var store = TestStore.Create(kind);
        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "template"));
        var promptStore = PromptStore.Create(DatabaseUrl.Parse(store.Url));
        using var connection = store.Open();
        var follower = RecordFollower.Start(connection, promptStore, Default, RecordFollower.LastPosition(connection, promptStore));

        // A writer takes a seq and has not committed yet; another stores and commits a later one.
        using var slow = store.Open();
        using var transaction = slow.BeginTransaction();
        var columns = string.Join(", ", slow.Query<string>(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'prompts' AND column_name NOT IN ('seq', 'id') ORDER BY ordinal_position"));
        slow.Execute($"INSERT INTO prompts (id, {columns}) SELECT 'late-commit', {columns} FROM prompts WHERE id = (SELECT min(id) FROM prompts)", transaction: transaction);
        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "quick"));
        var before = follower.Next(connection, 10);
        transaction.Commit();
        var after = follower.Next(connection, 10);

        Assert.That(before.Select(n => Display.LastUserText(n.Record.Messages, n.Record.Prompt)), Is.EqualTo(new[] { "quick" }));
        Assert.That(after.Select(n => n.Record.Id), Is.EqualTo(new[] { "late-commit" }), "the lower seq, committed late");
        Assert.That(follower.Next(connection, 10), Is.Empty, "nothing twice");
    }
}
