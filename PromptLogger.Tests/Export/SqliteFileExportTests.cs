using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Export;

/// <summary>What only a SQLite store has: a database file that an export must never overwrite.</summary>
public sealed class SqliteFileExportTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("prompts.db")]
    [TestCase("prompts.db-wal")]
    public void ExportChatPrompts_ToTheDatabaseFile_IsRefusedAndTheDataIsKept(string name)
    {
        using var logger = new PromptLogger("default", _temp.DatabaseUrl());
        logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "q", "a"));
        logger.Flush();

        var exception = Assert.Throws<ArgumentException>(() => logger.ExportChatPrompts(_temp.File(name)));

        Assert.That(exception!.Message, Does.Contain("database file itself"));
        Assert.That(logger.ExportChatPrompts(_temp.File("out.jsonl")), Is.EqualTo(1));
    }

    [Test]
    public void ExportChatPrompts_ToTheDatabaseThroughASymlinkedFolder_IsRefusedAndTheDataIsKept()
    {
        using var logger = new PromptLogger("default", _temp.DatabaseUrl());
        logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "q", "a"));
        logger.Flush();
        var link = _temp.File("link");
        Directory.CreateSymbolicLink(link, _temp.Path);

        var exception = Assert.Throws<ArgumentException>(() => logger.ExportChatPrompts(Path.Combine(link, "prompts.db")));

        Assert.That(exception!.Message, Does.Contain("database file itself"));
        Assert.That(logger.ExportChatPrompts(_temp.File("out.jsonl")), Is.EqualTo(1));
    }

    [Test]
    public void ExportChatPrompts_ToACharacterDevice_WritesInPlaceAndLeavesTheDevice()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Assert.Ignore("needs root on Linux to mknod a device (CI runs as root)");
        }

        var device = _temp.File("null");
        Assert.That(Support.SmallDisk.Run("mknod", device, "c", "1", "3").ExitCode, Is.Zero);
        using var logger = new PromptLogger("default", _temp.DatabaseUrl());
        logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "q", "a"));

        Assert.That(logger.ExportChatPrompts(device), Is.EqualTo(1));
        Assert.That(Support.SmallDisk.Run("stat", "-c", "%F", device).Output, Is.EqualTo("character special file"));
    }
}
