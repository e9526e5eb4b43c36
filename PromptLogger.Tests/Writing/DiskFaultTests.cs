using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Writing;

/// <summary>
/// A full and a read-only disk, for real (a small tmpfs): the database file is on it, so the spool beside it fails
/// too. Records are held in memory, retried, and all stored exactly once when the disk takes writes again.
/// </summary>
public sealed class DiskFaultTests
{
    private const int Count = 300;
    private static readonly string Text = new('t', 4_000);

    private SmallDisk _disk = null!;

    [SetUp]
    public void SetUp() => _disk = SmallDisk.Mount(4096);

    [TearDown]
    public void TearDown() => _disk?.Dispose();

    [Test]
    public void OnAFullDisk_RecordsAreHeldInMemory_ThenAllStoredOnceSpaceReturns()
    {
        var log = new ListLogger();
        using var logger = new PromptLogger(Options(log));
        logger.SaveInteraction("before", "r");
        logger.Flush();

        _disk.Fill();
        Offer(logger, Count);
        logger.Flush();

        var full = logger.Diagnostics;
        Assert.That(full.Dropped, Is.Zero, $"{full} (the old writer dropped every batch the spool could not take)");
        Assert.That(full.Held, Is.EqualTo(Count), $"{full}");
        Assert.That(full.Written, Is.EqualTo(1));
        Assert.That(log.Lines.Count(static l => l.Contains("held in memory", StringComparison.Ordinal)), Is.EqualTo(1), "reported once, not once a batch");

        _disk.Free();
        AssertAllStoredOnce(logger);
    }

    [Test]
    public void OnAReadOnlyDisk_RecordsAreHeldInMemory_ThenAllStoredOnceItIsWritable()
    {
        // Linux refuses to remount a disk read-only while a file on it is open for writing: the disk goes read-only
        // between two loggers, as it does when the kernel remounts it after an error or an operator does.
        using (var first = new PromptLogger(Options(new ListLogger())))
        {
            first.SaveInteraction("before", "r");
        }

        _disk.SetReadOnly(true);
        var log = new ListLogger();
        using var logger = new PromptLogger(Options(log));
        Offer(logger, Count);
        logger.Flush();

        var readOnly = logger.Diagnostics;
        Assert.That(readOnly.Dropped, Is.Zero, $"{readOnly} (the old writer dropped every batch the spool could not take)");
        Assert.That(readOnly.Held, Is.EqualTo(Count), $"{readOnly}");

        _disk.SetReadOnly(false);
        AssertAllStoredOnce(logger, writtenBefore: 1);
    }

    [Test]
    public void BeyondTheMemoryBudget_TheNewestAreDropped_CountedAndReportedOnce()
    {
        var log = new ListLogger();
        var options = Options(log);
        options.MaxBufferedBytes = 200_000; // about twenty 9 KB records
        options.DropReportInterval = TimeSpan.FromMilliseconds(200);
        using var logger = new PromptLogger(options);
        logger.SaveInteraction("before", "r");
        logger.Flush();

        _disk.Fill();
        Offer(logger, 100);
        logger.Flush();
        var full = logger.Diagnostics;
        var kept = full.Recorded - 1;
        Assert.That(kept, Is.InRange(10, 30), $"{full}");
        Assert.That(full.Dropped, Is.EqualTo(100 - kept), $"{full}: every offered record is either kept or counted as dropped");
        Assert.That(full.Held, Is.EqualTo(kept));
        Assert.That(SpinWait.SpinUntil(() => DropSummaries(log).Count == 1, TimeSpan.FromSeconds(30)), Is.True, string.Join("\n", log.Lines));
        Assert.That(DropSummaries(log)[0], Does.StartWith($"PromptLogger dropped {full.Dropped} records in the last 00:00:00.2"));

        _disk.Free();
        WaitUntilAllAreInTheDatabase(logger);
        var expected = new[] { "before" }.Concat(Enumerable.Range(0, (int)kept).Select(static i => Prompt(i)));
        Assert.That(Prompts(), Is.EqualTo(expected), "the oldest are kept, in order; the newest were dropped");
        Assert.That(logger.Diagnostics.Written, Is.EqualTo(full.Recorded));
        Assert.That(DropSummaries(log), Has.Count.EqualTo(1));
    }

    [Test]
    public void Immediate_OnAFullDisk_ReturnsOnlyOnceItsRecordIsCommitted()
    {
        var options = Options(new ListLogger());
        options.Durability = Durability.Immediate;
        using var logger = new PromptLogger(options);
        logger.SaveInteraction("before", "r");

        _disk.Fill();
        var call = Task.Factory.StartNew(() => logger.SaveInteraction("while full", "r"), TaskCreationOptions.LongRunning);
        Assert.That(SpinWait.SpinUntil(() => logger.Diagnostics.Held == 1, TimeSpan.FromSeconds(30)), Is.True, $"{logger.Diagnostics} (the old writer dropped it and returned)");
        Assert.That(call.IsCompleted, Is.False, "the call waits while its record is only in memory");

        _disk.Free();
        Assert.That(call.Wait(TimeSpan.FromSeconds(60)), Is.True);
        Assert.That(logger.Diagnostics is { Held: 0, Pending: 0 }, Is.True, $"{logger.Diagnostics}: committed or spooled by the time the call returned");
        WaitUntilAllAreInTheDatabase(logger);
        Assert.That(Prompts(), Is.EqualTo(new[] { "before", "while full" }));
        Assert.That(logger.Diagnostics.Dropped, Is.Zero);
    }

    [Test]
    public void Immediate_OnAFullDisk_ReturnsAfterItsTimeout_AndTheRecordIsStoredLater()
    {
        var log = new ListLogger();
        var options = Options(log);
        options.Durability = Durability.Immediate;
        options.ImmediateTimeout = TimeSpan.FromSeconds(1);
        using var logger = new PromptLogger(options);
        logger.SaveInteraction("before", "r");

        _disk.Fill();
        logger.SaveInteraction("while full", "r");

        Assert.That(logger.Diagnostics.Held, Is.EqualTo(1), $"{logger.Diagnostics}");
        Assert.That(log.Lines, Has.One.Contains("returned from an Immediate call after 00:00:01 before its record was committed or spooled"));

        _disk.Free();
        WaitUntilAllAreInTheDatabase(logger);
        Assert.That(Prompts(), Is.EqualTo(new[] { "before", "while full" }));
    }

    private static string Prompt(int i) => $"{i}:{Text}";

    private static void Offer(PromptLogger logger, int count)
    {
        for (var i = 0; i < count; i++)
        {
            logger.SaveInteraction(Prompt(i), "r");
        }
    }

    /// <summary>
    /// Nothing held or pending is not enough: a retry whose insert failed just before the disk was freed spools the
    /// record (durable, not pending) and the spool reaches the database on a later retry.
    /// </summary>
    private static void WaitUntilAllAreInTheDatabase(PromptLogger logger) =>
        Assert.That(
            SpinWait.SpinUntil(() => logger.Diagnostics is { Held: 0, Pending: 0 } d && d.Written == d.Recorded, TimeSpan.FromSeconds(60)),
            Is.True,
            $"{logger.Diagnostics}");

    private static List<string> DropSummaries(ListLogger log) =>
        log.Lines.Where(static l => l.StartsWith("PromptLogger dropped", StringComparison.Ordinal)).ToList();

    private void AssertAllStoredOnce(PromptLogger logger, int writtenBefore = 0)
    {
        WaitUntilAllAreInTheDatabase(logger);
        logger.Flush();

        var prompts = Prompts();
        Assert.That(prompts, Has.Count.EqualTo(Count + 1));
        Assert.That(prompts.Skip(1), Is.EqualTo(Enumerable.Range(0, Count).Select(static i => Prompt(i))), "each stored exactly once, in order");
        Assert.That(logger.Diagnostics.Dropped, Is.Zero);
        Assert.That(logger.Diagnostics.Written, Is.EqualTo(Count + 1 - writtenBefore), $"{logger.Diagnostics}");
        Assert.That(logger.Diagnostics.Recorded, Is.EqualTo(Count + 1 - writtenBefore));
    }

    private PromptLoggerOptions Options(ListLogger log) => new()
    {
        Namespace = "ns",
        Database = _disk.DatabaseUrl(),
        Logger = log,
        BatchSize = 50,
    };

    private List<string> Prompts()
    {
        using var connection = new SqliteConnection($"Data Source={_disk.File("prompts.db")};Pooling=False;Mode=ReadOnly");
        connection.Open();
        return connection.Query<string>("SELECT prompt FROM prompts ORDER BY rowid").ToList();
    }
}
