using Dapper;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Writing;

[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class BackgroundWriterTests(StoreKind kind)
{
    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(kind);

    [TearDown]
    public void TearDown()
    {
        // Also after a skipped SetUp, which leaves no store.
        _store?.Dispose();
        _store = null!;
    }

    [Test]
    public async Task FlushAsync_StoresEverythingRecordedBeforeIt()
    {
        await using var logger = new PromptLogger("ns", _store.Url);
        for (var i = 0; i < 3_000; i++)
        {
            logger.SaveInteraction("p" + i, "r");
        }

        await logger.FlushAsync();

        Assert.That(CountRows(), Is.EqualTo(3_000));
        Assert.That(logger.Diagnostics, Is.EqualTo(new PromptLoggerDiagnostics(3_000, 3_000, 0, 0, 0)));
    }

    [Test]
    public void CallsTrickingInWithPauses_AreStoredWithoutAFlush()
    {
        // The loop sleeps while idle and only the call that finds it asleep wakes it: calls arriving from several
        // threads just as it goes to sleep must still wake it (a lost wake-up would leave them waiting forever).
        using var logger = new PromptLogger("ns", _store.Url);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var random = new Random(t);
            for (var i = 0; i < 200; i++)
            {
                logger.SaveInteraction($"{t}:{i}", "r");
                if (random.Next(4) == 0)
                {
                    Thread.Sleep(random.Next(3));
                }
            }
        });

        var stored = SpinWait.SpinUntil(() => logger.Diagnostics.Written == 1_600, TimeSpan.FromSeconds(10));

        Assert.That(stored, Is.True, $"{logger.Diagnostics}");
        Assert.That(CountRows(), Is.EqualTo(1_600));
    }

    [Test]
    public void ASingleCall_IsStoredSoonWithoutAFlush()
    {
        using var logger = new PromptLogger("ns", _store.Url);
        logger.SaveInteraction("alone", "r");

        Assert.That(SpinWait.SpinUntil(() => CountRows() == 1, TimeSpan.FromSeconds(5)), Is.True, $"{logger.Diagnostics}");
    }

    [Test]
    public void SixteenThreadsRecordingAtOnce_AreAllStoredExactlyOnce()
    {
        const int threads = 16;
        const int perThread = 5_000;
        using (var logger = new PromptLogger("ns", _store.Url))
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (var i = 0; i < perThread; i++)
                {
                    logger.SaveInteraction($"{t}:{i}", "r");
                }
            });
        }

        using var connection = OpenReader();
        var prompts = connection.Query<string>("SELECT prompt FROM prompts").ToList();
        Assert.That(prompts, Has.Count.EqualTo(threads * perThread));
        Assert.That(prompts.Distinct().Count(), Is.EqualTo(threads * perThread), "no record is stored twice");
    }

    [Test]
    public void Immediate_MakesARecordVisibleToAnotherConnectionBeforeTheCallReturns()
    {
        using var logger = new PromptLogger(new PromptLoggerOptions { Namespace = "ns", Database = _store.Url, Durability = Durability.Immediate });
        using var other = OpenReader();

        for (var i = 1; i <= 20; i++)
        {
            logger.SaveInteraction("p" + i, "r");
            Assert.That(other.ExecuteScalar<long>("SELECT COUNT(*) FROM prompts"), Is.EqualTo(i));
        }
    }

    [Test]
    public void WhenTheQueueIsFull_NewRecordsAreDroppedAndCountedWithoutBlockingTheCaller()
    {
        // The writer is held inside its first record by a redaction that waits for the test (it runs on the writer's
        // thread), so what is queued and what is dropped is exact, without waiting for the writer to get anywhere.
        using var gate = new ManualResetEventSlim(false);
        var logger = new PromptLogger(new PromptLoggerOptions
        {
            Namespace = "ns",
            Database = _store.Url,
            QueueCapacity = 10,
            Redact = text =>
            {
                gate.Wait();
                return text;
            },
        });
        try
        {
            for (var i = 0; i < 15; i++)
            {
                logger.SaveInteraction("queued " + i, "r");
            }

            Assert.That(logger.Diagnostics.Dropped, Is.EqualTo(5), $"{kind}: {logger.Diagnostics}");
            Assert.That(logger.Diagnostics.Recorded, Is.EqualTo(10), $"{kind}: {logger.Diagnostics}");
            Assert.That(logger.Diagnostics.QueueDepth, Is.EqualTo(10), $"{kind}: {logger.Diagnostics}");

            gate.Set();
            logger.Flush();
            Assert.That(CountRows(), Is.EqualTo(10));
            Assert.That(logger.Diagnostics.Written, Is.EqualTo(10));
        }
        finally
        {
            gate.Set();
            logger.Dispose();
        }
    }

    [Test]
    public void AProcessThatExitsWithoutDispose_LosesNoRecord()
    {
        var host = ChildProcess.SiblingDll("PromptLogger.TestHost", "PromptLogger.TestHost");

        var (exitCode, stdout, stderr) = ChildProcess.Run(host, TimeSpan.FromSeconds(60), _store.Url, "ns", "10000");

        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("recorded 10000"));
        Assert.That(CountRows(), Is.EqualTo(10_000));
    }

    private long CountRows() => _store.CountPrompts();

    private System.Data.Common.DbConnection OpenReader() => _store.Open();
}
