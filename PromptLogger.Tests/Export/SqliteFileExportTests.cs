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
}
