using System.Text.Json;
using Dapper;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Export;

/// <summary>
/// JSON columns changed behind PromptLogger's back (written with SQL straight into the store): whatever a row
/// holds, its record is exactly one line of valid JSON, and a value that is not one JSON value never reaches the
/// export.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class StoredJsonExportTests(StoreKind kind)
{
    private const string Injected = "[{\"role\":\"user\",\"content\":\"hi\"}]}\n{\"id\":\"INJECTED\",\"namespace\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"planted\"}]}";

    private TestStore _store = null!;
    private string[] _ids = null!;

    [SetUp]
    public void SetUp()
    {
        _store = TestStore.Create(kind);
        SampleDatabase.Create(_store.Url, logger =>
        {
            logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "first", "one"));
            logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "second", "two"));
        });
        using var connection = _store.Open();
        _ids = [.. connection.Query<string>($"SELECT id FROM prompts ORDER BY {(kind == StoreKind.PostgreSql ? "seq" : "rowid")}")];
    }

    [TearDown]
    public void TearDown()
    {
        _store?.Dispose();
        _store = null!;
    }

    [Test]
    public void AMessagesValueWithALineBreakAndASecondObject_GivesOneLineAndNoInjectedRecord()
    {
        SetColumn("messages", Injected);

        var result = PromptLoggerCommand.Run("export", "prompts", _store.Temp.File("out.jsonl"), "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = Jsonl.Read(_store.Temp.File("out.jsonl"));
        Assert.That(lines.Select(l => l.GetProperty("id").GetString()), Is.EqualTo(_ids), "one line per record, none injected");
        Assert.That(lines[0].TryGetProperty("messages", out _), Is.False, "the invalid value is left out");
        Assert.That(lines[0].GetProperty("completions")[0].GetProperty("content").GetString(), Is.EqualTo("one"), "the rest of the record is kept");
        Assert.That(lines[1].GetProperty("messages")[1].GetProperty("content").GetString(), Is.EqualTo("second"));
        Assert.That(result.ErrorLines, Is.EqualTo(new[]
        {
            $"Exported 2 prompts to {_store.Temp.File("out.jsonl")}",
            $"prompt-logger: warning: 1 stored JSON value was not valid JSON and left out of the export (first: messages of record {_ids[0]}); the records themselves were exported, one line each.",
        }));
    }

    [Test]
    public void TheLibrarysExport_LeavesTheInjectedValueOutToo()
    {
        SetColumn("messages", Injected);
        using var logger = new PromptLogger("default", _store.Url);

        var count = logger.ExportChatPrompts(_store.Temp.File("out.jsonl"));

        Assert.That(count, Is.EqualTo(2));
        var text = File.ReadAllText(_store.Temp.File("out.jsonl"));
        Assert.That(text, Does.Not.Contain("INJECTED"));
        Assert.That(Jsonl.Read(_store.Temp.File("out.jsonl")), Has.Count.EqualTo(2));
    }

    [Test]
    public void APrettyPrintedValue_IsReencodedOnOneLine()
    {
        SetColumn("messages", "[\n  {\"role\": \"user\",\r\n   \"content\": \"hi\\nthere\"}\n]\n");

        var result = PromptLoggerCommand.Run("export", "prompts", _store.Temp.File("out.jsonl"), "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = Jsonl.Read(_store.Temp.File("out.jsonl"));
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0].GetProperty("messages").GetRawText(), Is.EqualTo("[{\"role\":\"user\",\"content\":\"hi\\nthere\"}]"));
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), "a valid value is not reported");
    }

    [TestCase("generation_kwargs", "not json")]
    [TestCase("tags", "{\"a\":1} {\"b\":2}")]
    [TestCase("completions", "[1,2")]
    [TestCase("tools", "[/* comment */]")]
    public void AValueThatIsNotOneJsonValue_IsLeftOutAndCounted(string column, string value)
    {
        SetColumn(column, value);

        var result = PromptLoggerCommand.Run("export", "prompts", "-", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = Jsonl.Parse(result.Data);
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0].TryGetProperty(column, out _), Is.False);
        Assert.That(result.Error, Does.Contain($"warning: 1 stored JSON value was not valid JSON").And.Contain($"first: {column} of record {_ids[0]}"));
    }

    [Test]
    public void InvalidUtf8InAJsonValue_IsLeftOut()
    {
        if (kind != StoreKind.Sqlite)
        {
            Assert.Ignore("PostgreSQL refuses invalid UTF-8 text; only a SQLite file can hold it.");
        }

        using (var connection = _store.Open())
        {
            connection.Execute("UPDATE prompts SET messages = CAST(X'5B22FF225D' AS TEXT) WHERE id = @id", new { id = _ids[0] });
        }

        var result = PromptLoggerCommand.Run("export", "prompts", "-", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = Jsonl.Parse(result.Data);
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0].TryGetProperty("messages", out _), Is.False);
    }

    [Test]
    public void ARecordIdWithTerminalEscapes_ReachesTheWarningAsVisibleText()
    {
        // A row written behind PromptLogger's back (a shared team database): its id is quoted by the warning on stderr.
        const string hostileId = "x\u001b]0;PWNED\u0007\u001b[2J\u009bfake";
        SetColumn("tags", "{bad");
        using (var connection = _store.Open())
        {
            Assert.That(connection.Execute("UPDATE prompts SET id = @hostileId WHERE id = @id", new { hostileId, id = _ids[0] }), Is.EqualTo(1));
        }

        var result = PromptLoggerCommand.Run("export", "prompts", "-", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Error, Does.Contain("first: tags of record x\\x1B]0;PWNED\\x07\\x1B[2J\\x9Bfake)"));
        Assert.That(result.Error.Any(c => char.IsControl(c) && c is not '\n' and not '\r'), Is.False, "no control character reaches the terminal");
    }

    private void SetColumn(string column, string value)
    {
        using var connection = _store.Open();
        Assert.That(connection.Execute($"UPDATE prompts SET {column} = @value WHERE id = @id", new { value, id = _ids[0] }), Is.EqualTo(1));
    }
}
