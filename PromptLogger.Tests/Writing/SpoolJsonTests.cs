using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Writing;

/// <summary>
/// A spool file whose JSON columns hide a second record, replayed by a real logger into a real SQLite file and
/// exported: one record is one line, and the hidden record exists nowhere.
/// </summary>
[TestFixture]
public sealed class SpoolJsonTests
{
    private const string Namespace = "ns";

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("messages")]
    [TestCase("tools")]
    [TestCase("generation_kwargs")]
    [TestCase("completions")]
    [TestCase("tags")]
    public void AReplayedLineWhoseJsonColumnHidesASecondRecord_IsRefused_AndTheExportHasOneLineARecord(string column)
    {
        var url = _temp.DatabaseUrl();
        SampleDatabase.Create(url, logger => logger.SaveInteraction("first", "r"), Namespace);
        HostileSpool.Write(_temp.File("prompts.db"), Namespace, column, HostileSpool.Values[column]);
        var chat = _temp.File("chat.jsonl");
        var text = _temp.File("text.jsonl");

        using (var logger = new PromptLogger(Namespace, url))
        {
            logger.Flush();
        }

        using (var logger = new PromptLogger(Namespace, url))
        {
            Assert.That(logger.ExportChatPrompts(chat), Is.Zero);
            Assert.That(logger.ExportTextPrompts(text), Is.EqualTo(3));
        }

        Assert.That(File.ReadAllText(chat) + File.ReadAllText(text), Does.Not.Contain(HostileSpool.InjectedId));
        Assert.That(Jsonl.Read(text).Select(l => l.GetProperty("prompt").GetString()), Is.EqualTo(new[] { "first", "good before 0", "good after 0" }));
        Assert.That(Directory.GetFiles(_temp.Path, "*.spool-*"), Is.Empty, "replayed, refused line included");
    }
}
