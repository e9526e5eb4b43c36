using PromptLogging.Storage;
using PromptLogging.Tests.Support;
using PromptLogging.Writing;

namespace PromptLogging.Tests.Writing;

/// <summary>
/// Two loggers of one user share a spool folder: one may replay (claim, read, delete) a file the other is appending
/// to. The appender holds the file exclusively while it writes, and a replay claims a file only under the same lock,
/// so no record is written into a file that is then deleted unread.
/// </summary>
public sealed class SpoolLockTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void SetUp() => _folder = new TempFolder();

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public void AFileBeingAppendedTo_IsNotClaimedByAnotherReplay_AndItsRecordsAreReplayedOnceItIsFree()
    {
        var database = _folder.File("prompts.db");
        var appender = new Spool(database);
        appender.Append(SampleSpool.TextRecords("ns", 3, prefix: "first "));
        var replayer = new Spool(database);

        List<PromptRecord> replayed = [];
        int whileLocked;
        // What the appender holds while it writes: the file, exclusively.
        using (new FileStream(appender.OwnFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            whileLocked = replayer.Replay(replayed.AddRange, batchSize: 100);
            Assert.That(File.Exists(appender.OwnFile), Is.True, "the file being written to was not claimed");
        }

        appender.Append(SampleSpool.TextRecords("ns", 2, prefix: "after "));
        var afterwards = replayer.Replay(replayed.AddRange, batchSize: 100);

        Assert.Multiple(() =>
        {
            Assert.That(whileLocked, Is.Zero);
            Assert.That(afterwards, Is.EqualTo(5));
            Assert.That(replayed.Select(r => r.Prompt), Is.EqualTo(new[] { "first 0", "first 1", "first 2", "after 0", "after 1" }));
            Assert.That(File.Exists(appender.OwnFile), Is.False);
        });
    }

    [Test]
    public void AnAppendWhileAReplayHoldsTheFile_FailsAndLeavesTheRecordsToTheCaller_ThenGoesToANewFile()
    {
        var database = _folder.File("prompts.db");
        var appender = new Spool(database);
        appender.Append(SampleSpool.TextRecords("ns", 1, prefix: "first "));

        // What a replay in another process holds from its claim until the file is deleted.
        using (new FileStream(appender.OwnFile, FileMode.Open, FileAccess.Read, FileShare.None))
        {
            Assert.Throws(Is.InstanceOf<IOException>(), () => appender.Append(SampleSpool.TextRecords("ns", 1, prefix: "held ")));
        }

        File.Delete(appender.OwnFile); // the other replay finished with it
        appender.Append(SampleSpool.TextRecords("ns", 1, prefix: "held "));

        List<PromptRecord> replayed = [];
        new Spool(database).Replay(replayed.AddRange, batchSize: 100);
        Assert.That(replayed.Select(r => r.Prompt), Is.EqualTo(new[] { "held 0" }));
    }
}
