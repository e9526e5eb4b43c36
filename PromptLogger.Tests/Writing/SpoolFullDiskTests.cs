using PromptLogging.Storage;
using PromptLogging.Tests.Support;
using PromptLogging.Writing;

namespace PromptLogging.Tests.Writing;

/// <summary>
/// A spool on a real, small tmpfs that fills up while a batch is being appended: the write is cut short midway (the
/// file's last page still has room for part of the batch), and what the spool keeps must stay exact.
/// </summary>
[TestFixture]
public sealed class SpoolFullDiskTests
{
    private const int PageSize = 4096;

    private SmallDisk _disk = null!;

    [SetUp]
    public void SetUp() => _disk = SmallDisk.Mount(sizeKiB: 1024);

    [TearDown]
    public void TearDown() => _disk?.Dispose();

    [Test]
    public void AnAppendCutShortByAFullDisk_LeavesNothingOfItsBatch_AndTheNextAppendAndTheReplayAreExact()
    {
        var spool = new Spool(_disk.File("prompts.db"));
        var first = SampleSpool.TextRecords("ns", 3, prefix: "first ");
        var cut = SampleSpool.TextRecords("ns", 40, prefix: "cut short ");
        var after = SampleSpool.TextRecords("ns", 3, prefix: "after ");
        spool.Append(first);
        var before = File.ReadAllBytes(spool.OwnFile);
        _disk.Fill();
        var room = PageSize - (before.Length % PageSize);
        Assert.That(room, Is.GreaterThan(300).And.LessThan(BatchBytes(cut)),
            "the full disk still has room in the file's last page for part of the batch, not all of it");

        Assert.Throws(Is.InstanceOf<IOException>(), () => spool.Append(cut));

        Assert.That(File.ReadAllBytes(spool.OwnFile), Is.EqualTo(before), "nothing of the batch that failed is left, not even part of a line");
        _disk.Free();
        spool.Append(after);
        var replayed = new List<PromptRecord>();
        var count = spool.Replay(replayed.AddRange, batchSize: 100);

        Assert.That(count, Is.EqualTo(6));
        Assert.That(replayed.Select(r => r.Prompt), Is.EqualTo(first.Concat(after).Select(r => r.Prompt)), "none glued, none lost, none of the failed batch");
        Assert.That(replayed.Select(r => r.Id), Is.EqualTo(first.Concat(after).Select(r => r.Id)));
        Assert.That(spool.HasPending, Is.False);
    }

    [Test]
    public void APartialLineLeftByACrash_IsCutAwayBeforeTheNextAppend()
    {
        var spool = new Spool(_disk.File("prompts.db"));
        var first = SampleSpool.TextRecords("ns", 2, prefix: "first ");
        var after = SampleSpool.TextRecords("ns", 2, prefix: "after ");
        spool.Append(first);
        var whole = new FileInfo(spool.OwnFile).Length;
        File.AppendAllText(spool.OwnFile, "{\"id\":\"cut short by a cra");

        spool.Append(after);

        var lines = File.ReadAllLines(spool.OwnFile);
        Assert.That(lines, Has.Length.EqualTo(4));
        Assert.That(lines, Has.None.Contain("cut short by a cra"));
        Assert.That(new FileInfo(spool.OwnFile).Length, Is.GreaterThan(whole));
        var replayed = new List<PromptRecord>();
        spool.Replay(replayed.AddRange, batchSize: 100);
        Assert.That(replayed.Select(r => r.Prompt), Is.EqualTo(first.Concat(after).Select(r => r.Prompt)));
    }

    [Test]
    public void ALoggerWhoseSpoolFillsTheDisk_CountsExactly_WhatItStoredAndWhatItDidNot()
    {
        var url = _disk.DatabaseUrl();
        var options = new PromptLoggerOptions { Namespace = "ns", Database = url, BusyTimeout = TimeSpan.FromMilliseconds(100) };
        long recorded;
        long dropped;
        using (var logger = new PromptLogger(options))
        {
            logger.Flush();
            using (var blocker = Open(url, readOnly: false))
            {
                // Locked: the first record is spooled, so the spool file has a partly used last page when the disk fills.
                using var transaction = blocker.BeginTransaction(deferred: false);
                logger.SaveInteraction("before", "r");
                logger.Flush();
                Assert.That(logger.Diagnostics.Spooled, Is.EqualTo(1));
                _disk.Fill();
                for (var i = 0; i < 200; i++)
                {
                    logger.SaveInteraction("while full " + i + new string('x', 100), "r");
                }

                logger.Flush();
                transaction.Rollback();
            }

            _disk.Free();
            logger.SaveInteraction("after", "r");
            logger.Flush();
            recorded = logger.Diagnostics.Recorded;
            dropped = logger.Diagnostics.Dropped;
        }

        // The next logger replays whatever a spool file still holds.
        using (var next = new PromptLogger(options))
        {
            next.Flush();
        }

        var stored = Prompts(url);
        TestContext.Out.WriteLine($"recorded {recorded}, dropped {dropped}, stored {stored.Count}");
        Assert.That(stored, Is.Unique, "no record stored twice");
        Assert.That(stored.Count, Is.EqualTo(recorded - dropped), "every record not counted as dropped is stored, and no dropped one is");
        Assert.That(stored, Does.Contain("before").And.Contain("after"));
        Assert.That(Directory.GetFiles(_disk.Path, "*.spool-*"), Is.Empty);
    }

    private static int BatchBytes(IReadOnlyList<PromptRecord> records)
    {
        using var temp = new TempFolder();
        var spool = new Spool(temp.File("size.db"));
        spool.Append(records);
        return (int)new FileInfo(spool.OwnFile).Length;
    }

    private static List<string> Prompts(string url)
    {
        using var connection = Open(url, readOnly: true);
        return [.. Dapper.SqlMapper.Query<string>(connection, "SELECT prompt FROM prompts ORDER BY rowid")];
    }

    private static Microsoft.Data.Sqlite.SqliteConnection Open(string url, bool readOnly)
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            $"Data Source={DatabaseUrl.Parse(url).FilePath};Pooling=False" + (readOnly ? ";Mode=ReadOnly" : string.Empty));
        connection.Open();
        return connection;
    }
}
