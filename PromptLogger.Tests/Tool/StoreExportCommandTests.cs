using System.Text;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary><c>prompt-logger export</c> against either store, run in-process.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class StoreExportCommandTests(StoreKind kind)
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
    public void Export_WritesWhatTheLoggerItselfExports()
    {
        string[] expected;
        using (var logger = new PromptLogger("team", _store.Url))
        {
            logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "What is 2+2?", "4"));
            logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1-mini", "And 3+3?", "6"));
            logger.SaveInteraction("text prompt", "text response", model: "gpt-4.1");
            expected = new[] { "chat", "text", "models" }.Select(name => _store.Temp.File("logger-" + name + ".jsonl")).ToArray();
            logger.ExportChatPrompts(expected[0]);
            logger.ExportTextPrompts(expected[1]);
            logger.ExportModels(expected[2]);
        }

        var chat = PromptLoggerCommand.Run("export", "prompts", _store.Temp.File("chat.jsonl"), "-n", "team", "-d", _store.Url);
        var text = PromptLoggerCommand.Run("export", "prompts", "-", "--type", "text", "-n", "team", "-d", _store.Url);
        var models = PromptLoggerCommand.Run("export", "models", "-", "-n", "team", "-m", "gpt-4.1-mini", "-d", _store.Url);

        Assert.That(chat.ExitCode, Is.Zero, chat.ToString());
        Assert.That(chat.Error, Does.Contain("Exported 2 prompts"));
        Assert.That(File.ReadAllBytes(_store.Temp.File("chat.jsonl")), Is.EqualTo(File.ReadAllBytes(expected[0])));
        Assert.That(text.ExitCode, Is.Zero, text.ToString());
        Assert.That(text.DataText, Is.EqualTo(File.ReadAllText(expected[1], Encoding.UTF8)));
        Assert.That(models.ExitCode, Is.Zero, models.ToString());
        Assert.That(ToolResult.ParseJsonl(models.DataText).Select(m => (string?)m["name"]), Is.EqualTo(new[] { "gpt-4.1-mini" }));
    }
}
