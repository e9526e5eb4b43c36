using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Recording;
using PromptLogging.Tests.Support;
using PromptLogging.Writing;

namespace PromptLogging.Tests.Writing;

public sealed class StoreFaultTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void WhenTheFileIsLockedLongerThanTheBusyTimeout_RecordsAreSpooledThenReplayedOnceItIsFree()
    {
        using var logger = new PromptLogger(Options());
        logger.SaveInteraction("before", "r");
        logger.Flush();
        using var blocker = Open();
        var transaction = blocker.BeginTransaction(deferred: false);

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            logger.SaveInteraction("while locked " + i, "r");
        }

        logger.Flush();
        Assert.That(elapsed.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "a locked store does not hold flushes for long");
        Assert.That(logger.Diagnostics.Spooled, Is.EqualTo(100));
        var spool = Directory.GetFiles(_temp.Path, "prompts.db.spool-*.jsonl");
        Assert.That(spool, Has.Length.EqualTo(1));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(spool[0]), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the spool holds prompts too");
        }

        transaction.Rollback();
        transaction.Dispose();
        Assert.That(SpinWait.SpinUntil(() => logger.Diagnostics.Replayed == 100, TimeSpan.FromSeconds(15)), Is.True, "replayed once the lock is gone");
        logger.SaveInteraction("after", "r");
        logger.Flush();

        Assert.That(Prompts(), Has.Count.EqualTo(102));
        Assert.That(Prompts()[^1], Is.EqualTo("after"), "spooled records are stored before the ones recorded after them");
        Assert.That(Directory.GetFiles(_temp.Path, "*.spool-*"), Is.Empty);
        Assert.That(logger.Diagnostics.Dropped, Is.Zero);
    }

    [Test]
    public void WhenTheFileIsLockedAtStart_TheConstructorSucceedsAndNothingIsLost()
    {
        using (new PromptLogger(Options()))
        {
        }

        using var blocker = Open();
        var transaction = blocker.BeginTransaction(deferred: false);
        using var logger = new PromptLogger(Options());
        logger.SaveInteraction("while locked", "r");
        logger.Flush();
        transaction.Rollback();
        transaction.Dispose();

        Assert.That(SpinWait.SpinUntil(() => logger.Diagnostics.Replayed == 1, TimeSpan.FromSeconds(15)), Is.True);
        Assert.That(Prompts(), Is.EqualTo(new[] { "while locked" }));
    }

    [Test]
    public void WhenTheDatabaseFolderIsDeletedWhileLogging_TheNextRecordsGoToANewFile()
    {
        var folder = Path.Combine(_temp.Path, "data");
        var url = "sqlite:///" + Path.Combine(folder, "prompts.db");
        using var logger = new PromptLogger(new PromptLoggerOptions { Namespace = "ns", Database = url });
        logger.SaveInteraction("first", "r");
        logger.Flush();

        Directory.Delete(folder, recursive: true);
        logger.SaveInteraction("second", "r");
        logger.Flush();

        Assert.That(File.Exists(Path.Combine(folder, "prompts.db")), Is.True);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "prompts.db")};Pooling=False");
        Assert.That(connection.Query<string>("SELECT prompt FROM prompts"), Is.EqualTo(new[] { "second" }));
        Assert.That(logger.Diagnostics.Dropped, Is.Zero);
    }

    [Test]
    public void ASpoolLeftByAnEarlierProcess_IsReplayedByTheNextLoggerAndDeleted()
    {
        using (new PromptLogger(Options()))
        {
        }

        var spool = new Spool(_temp.File("prompts.db"));
        using var factory = new PromptRecordFactory("ns", ContentPolicy.Default);
        var records = Enumerable.Range(0, 2_500).Select(i => factory.Create(new CapturedCall(new CallRequest { Kind = CallKind.Text, Prompt = "spooled " + i })
        {
            Outcome = new CallOutcome { Response = "r" },
            StartedAt = DateTimeOffset.UtcNow,
        })).ToList();
        spool.Append(records);
        spool.Append(records.Take(10).ToList()); // a record spooled twice is stored once
        File.AppendAllText(spool.OwnFile, "{\"id\":\"cut short by a cra");

        using var logger = new PromptLogger(Options());
        logger.Flush();

        Assert.That(SpinWait.SpinUntil(() => logger.Diagnostics.Replayed > 0, TimeSpan.FromSeconds(15)), Is.True);
        Assert.That(Prompts(), Has.Count.EqualTo(2_500));
        Assert.That(Directory.GetFiles(_temp.Path, "*.spool-*"), Is.Empty);
    }

    private PromptLoggerOptions Options() => new()
    {
        Namespace = "ns",
        Database = _temp.DatabaseUrl(),
        BusyTimeout = TimeSpan.FromMilliseconds(200),
    };

    private List<string> Prompts()
    {
        using var connection = Open();
        return connection.Query<string>("SELECT prompt FROM prompts ORDER BY rowid").ToList();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_temp.File("prompts.db")};Pooling=False");
        connection.Open();
        return connection;
    }
}
