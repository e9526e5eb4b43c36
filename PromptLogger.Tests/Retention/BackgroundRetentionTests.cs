using Dapper;
using Microsoft.Extensions.Time.Testing;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Retention;

/// <summary><see cref="PromptLoggerOptions.RetainFor"/>: a running logger deletes its old records in the background.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class BackgroundRetentionTests(StoreKind kind)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(kind);

    [TearDown]
    public void TearDown()
    {
        _store?.Dispose();
        _store = null!;
    }

    [Test]
    public void RetainFor_DeletesOldRecordsInTheBackground_WhileCallsGoOn()
    {
        var now = DateTimeOffset.UtcNow;
        var oldChat = Enumerable.Range(0, 30).Select(i => Aged(StoredRecords.Chat("default", $"old {i}", model: "retired-model"), now, days: 40));
        var oldText = SampleSpool.TextRecords("default", 5, "old text ").Select(r => Aged(r, now, days: 40));
        var recent = Enumerable.Range(0, 10).Select(i => Aged(StoredRecords.Chat("default", $"recent {i}"), now, days: 1)).ToList();
        var otherNamespace = Enumerable.Range(0, 7).Select(i => Aged(StoredRecords.Chat("other", $"other {i}"), now, days: 40)).ToList();
        var audit = Enumerable.Range(0, 4).Select(i => Aged(StoredRecords.Chat("audit", $"audit {i}"), now, days: 40)).ToList();
        var oldAudit = Aged(StoredRecords.Chat("audit", "audit, too old"), now, days: 400);
        StoredRecords.Store(_store.Url, [.. oldChat, .. oldText, .. recent, .. otherNamespace, .. audit, oldAudit]);
        var time = new FakeTimeProvider(now);
        var log = new ListLogger();
        var options = new PromptLoggerOptions
        {
            Database = _store.Url,
            RetainFor = TimeSpan.FromDays(30),
            RetainForNamespace = { ["audit"] = TimeSpan.FromDays(365) },
            Time = time,
            Logger = log,
        };

        const int Calls = 300;
        using (var logger = new PromptLogger(options))
        {
            var retention = logger.BackgroundRetention!;
            // Calls go on while the first pass runs: none waits for it, none is lost.
            for (var i = 0; i < Calls; i++)
            {
                logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", $"live {i}", "ok"));
            }

            Assert.That(SpinWait.SpinUntil(() => retention.Passes >= 1, Wait), Is.True, "the first pass ran");
            Assert.That(logger.Flush(Wait), Is.True);
            Assert.That(retention.Deleted, Is.EqualTo(30 + 5 + 1));

            // An hour later, what has aged past 30 days since goes too.
            var agedSince = Aged(StoredRecords.Chat("default", "aged since"), time.GetUtcNow(), days: 31);
            StoredRecords.Store(_store.Url, agedSince);
            time.Advance(TimeSpan.FromHours(1));
            Assert.That(SpinWait.SpinUntil(() => retention.Passes >= 2, Wait), Is.True, "the second pass ran");
            Assert.That(retention.Deleted, Is.EqualTo(30 + 5 + 1 + 1));
        }

        using var connection = _store.Open();
        Assert.That(connection.Query<string>("SELECT id FROM prompts WHERE namespace = 'default' AND prompt IS NULL AND messages NOT LIKE '%live%'"),
            Is.EquivalentTo(recent.Select(r => r.Id)), "only the recent records of the namespace are left, with the live calls");
        Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompts WHERE messages LIKE '%live%'"), Is.EqualTo(Calls));
        Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompts WHERE kind = 'text'"), Is.Zero, "text records too");
        Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompts WHERE namespace = 'other'"), Is.EqualTo(7), "a namespace not named is left alone");
        Assert.That(connection.Query<string>("SELECT id FROM prompts WHERE namespace = 'audit'"), Is.EquivalentTo(audit.Select(r => r.Id)), "RetainForNamespace");
        Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM models WHERE name = 'retired-model'"), Is.Zero, "the model no record uses any more");
        Assert.That(log.Lines, Has.Some.Contains("retention deleted 35 records").And.Contain("namespace default"));
    }

    [Test]
    public void RetainFor_WhenTheDatabaseIsLocked_LogsIt_CallsGoOn_AndTheNextPassDeletes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new ListLogger();
        using var logger = new PromptLogger(new PromptLoggerOptions
        {
            Database = _store.Url,
            RetainFor = TimeSpan.FromDays(1),
            Time = time,
            Logger = log,
            BusyTimeout = TimeSpan.FromMilliseconds(200),
            CommandTimeout = TimeSpan.FromSeconds(1),
        });
        var retention = logger.BackgroundRetention!;
        Assert.That(SpinWait.SpinUntil(() => retention.Passes >= 1, Wait), Is.True);
        StoredRecords.Store(_store.Url, Aged(StoredRecords.Chat("default", "old"), time.GetUtcNow(), days: 2));

        using (_store.HoldWriteLock())
        {
            time.Advance(TimeSpan.FromHours(1));
            Assert.That(SpinWait.SpinUntil(() => retention.Passes >= 2, Wait), Is.True);
        }

        logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "still recorded", "ok"));
        Assert.That(logger.Flush(Wait), Is.True);
        Assert.That(log.Lines, Has.Some.Contains("retention could not delete old records"));
        Assert.That(_store.CountPrompts(), Is.EqualTo(2), "the failed pass deleted nothing; the new call is stored");

        time.Advance(TimeSpan.FromHours(1));
        Assert.That(SpinWait.SpinUntil(() => retention.Passes >= 3, Wait), Is.True);
        Assert.That(_store.CountPrompts(), Is.EqualTo(1), "the next pass deleted it");
    }

    [Test]
    public void Dispose_DuringAPass_ReturnsPromptly_AndThePassEndsQuietly()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new ListLogger();
        var logger = new PromptLogger(new PromptLoggerOptions
        {
            Database = _store.Url,
            RetainFor = TimeSpan.FromDays(1),
            Time = time,
            Logger = log,
            // The pass waits for the lock as long as it takes, as a pass deleting a large selection would.
            BusyTimeout = TimeSpan.FromMinutes(2),
            CommandTimeout = TimeSpan.FromMinutes(2),
        });
        var retention = logger.BackgroundRetention!;
        Assert.That(SpinWait.SpinUntil(() => retention.Passes >= 1, Wait), Is.True);
        var old = Enumerable.Range(0, 500).Select(i => Aged(StoredRecords.Chat("default", $"old {i}"), time.GetUtcNow(), days: 2)).ToArray();
        StoredRecords.Store(_store.Url, old);

        Task dispose;
        using (_store.HoldWriteLock())
        {
            time.Advance(TimeSpan.FromHours(1));
            Assert.That(SpinWait.SpinUntil(() => retention.Running, Wait), Is.True, "the second pass started, and waits for the lock");
            dispose = Task.Run(logger.Dispose);
            // Usually the pass is waiting for the lock in its batch by now; it may also still be reading what to
            // delete, and then it stops before the batch. Either way Dispose must not wait for the lock.
            Assert.That(SpinWait.SpinUntil(() => dispose.IsCompleted, TimeSpan.FromSeconds(30)), Is.True, "Dispose returned while the lock was held");
        }

        // The lock released, the pass finishes the batch it was in, then stops: no failure, no next pass.
        Assert.That(SpinWait.SpinUntil(() => !retention.Running, Wait), Is.True);
        dispose.GetAwaiter().GetResult();
        Assert.That(log.Lines, Has.None.Contains("retention could not"), string.Join(Environment.NewLine, log.Lines));
        Assert.That(retention.Passes, Is.EqualTo(1), "the cancelled pass is not counted and no pass follows");
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void RetainFor_NotPositive_IsRefusedWhenTheLoggerIsCreated(int days)
    {
        var options = new PromptLoggerOptions { Database = _store.Url, RetainFor = TimeSpan.FromDays(days) };
        var perNamespace = new PromptLoggerOptions { Database = _store.Url, RetainForNamespace = { ["audit"] = TimeSpan.FromDays(days) } };

        Assert.That(() => new PromptLogger(options), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("RetainFor must be positive"));
        Assert.That(() => new PromptLogger(perNamespace), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("RetainForNamespace[\"audit\"]"));
    }

    private static PromptRecord Aged(PromptRecord record, DateTimeOffset now, int days) =>
        record with { InferenceOn = now.AddDays(-days).ToUnixTimeMilliseconds() / 1000.0 };
}
