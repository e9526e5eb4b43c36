using System.Runtime.Versioning;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Export;

/// <summary>
/// An export holds the same prompts as its database, so a new export file gets the database file's permission bits
/// (owner-only as PromptLogger creates it), whatever the umask; a replaced file keeps its own.
/// </summary>
[TestFixture]
[UnsupportedOSPlatform("windows")]
public sealed class ExportFileModeTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode WorldReadable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix permission bits.");
        }

        _temp = new TempFolder();
    }

    [TearDown]
    public void TearDown() => _temp?.Dispose();

    [TestCase(OwnerOnly)]
    [TestCase(WorldReadable)]
    public void ANewExportFile_GetsTheDatabaseFilesPermissionBits(UnixFileMode databaseMode)
    {
        using var logger = new PromptLogger("default", _temp.DatabaseUrl());
        logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "q", "a"));
        logger.Flush();
        File.SetUnixFileMode(_temp.File("prompts.db"), databaseMode);

        logger.ExportChatPrompts(_temp.File("chat.jsonl"));
        logger.ExportModels(_temp.File("models.jsonl"));

        Assert.That(File.GetUnixFileMode(_temp.File("chat.jsonl")), Is.EqualTo(databaseMode));
        Assert.That(File.GetUnixFileMode(_temp.File("models.jsonl")), Is.EqualTo(databaseMode));
    }

    [Test]
    public void ADatabaseCreatedByPromptLogger_GivesOwnerOnlyExports()
    {
        using var logger = new PromptLogger("default", _temp.DatabaseUrl());
        logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "q", "a"));

        logger.ExportChatPrompts(_temp.File("chat.jsonl"));

        Assert.That(File.GetUnixFileMode(_temp.File("prompts.db")), Is.EqualTo(OwnerOnly));
        Assert.That(File.GetUnixFileMode(_temp.File("chat.jsonl")), Is.EqualTo(OwnerOnly));
    }

    [Test]
    public void AReplacedFile_KeepsItsOwnPermissionBits()
    {
        const UnixFileMode groupReadable = OwnerOnly | UnixFileMode.GroupRead;
        using var logger = new PromptLogger("default", _temp.DatabaseUrl());
        logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "q", "a"));
        File.WriteAllText(_temp.File("chat.jsonl"), "old\n");
        File.SetUnixFileMode(_temp.File("chat.jsonl"), groupReadable);

        logger.ExportChatPrompts(_temp.File("chat.jsonl"));

        Assert.That(File.GetUnixFileMode(_temp.File("chat.jsonl")), Is.EqualTo(groupReadable));
        Assert.That(Jsonl.Read(_temp.File("chat.jsonl")), Has.Count.EqualTo(1));
    }
}
