using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Writing;

public sealed class BackgroundWriterTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task FlushAsync_StoresEverythingRecordedBeforeIt()
    {
        await using var logger = new PromptLogger("ns", _temp.DatabaseUrl());
        for (var i = 0; i < 3_000; i++)
        {
            logger.SaveInteraction("p" + i, "r");
        }

        await logger.FlushAsync();

        Assert.That(CountRows(), Is.EqualTo(3_000));
        Assert.That(logger.Diagnostics, Is.EqualTo(new PromptLoggerDiagnostics(3_000, 3_000, 0, 0, 0)));
    }

    [Test]
    public void SixteenThreadsRecordingAtOnce_AreAllStoredExactlyOnce()
    {
        const int threads = 16;
        const int perThread = 5_000;
        using (var logger = new PromptLogger("ns", _temp.DatabaseUrl()))
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
        using var logger = new PromptLogger(new PromptLoggerOptions { Namespace = "ns", Database = _temp.DatabaseUrl(), Durability = Durability.Immediate });
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
        using var logger = new PromptLogger(new PromptLoggerOptions { Namespace = "ns", Database = _temp.DatabaseUrl(), QueueCapacity = 10 });
        using var blocker = OpenWriter();
        using var transaction = blocker.BeginTransaction(deferred: false); // holds the write lock: the writer waits on it

        logger.SaveInteraction("taken by the writer", "r");
        SpinWait.SpinUntil(() => logger.Diagnostics.QueueDepth == 0, TimeSpan.FromSeconds(5));
        for (var i = 0; i < 15; i++)
        {
            logger.SaveInteraction("queued " + i, "r");
        }

        Assert.That(logger.Diagnostics.Dropped, Is.EqualTo(5));
        Assert.That(logger.Diagnostics.QueueDepth, Is.EqualTo(10));

        transaction.Rollback();
        logger.Flush();
        Assert.That(CountRows(), Is.EqualTo(11));
        Assert.That(logger.Diagnostics.Written, Is.EqualTo(11));
    }

    [Test]
    public void AProcessThatExitsWithoutDispose_LosesNoRecord()
    {
        var host = ChildProcess.SiblingDll("PromptLogger.TestHost", "PromptLogger.TestHost");

        var (exitCode, stdout, stderr) = ChildProcess.Run(host, TimeSpan.FromSeconds(60), _temp.DatabaseUrl(), "ns", "10000");

        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("recorded 10000"));
        Assert.That(CountRows(), Is.EqualTo(10_000));
    }

    private long CountRows()
    {
        using var connection = OpenReader();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM prompts");
    }

    private SqliteConnection OpenReader() => Open(SqliteOpenMode.ReadOnly);

    private SqliteConnection OpenWriter() => Open(SqliteOpenMode.ReadWrite);

    private SqliteConnection Open(SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _temp.File("prompts.db"), Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
