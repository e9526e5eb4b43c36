using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using PromptLogging.Import;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool.Verbs;

/// <summary>
/// <c>import</c> of what it reads besides spool files, on both stores: a database written by the Python prompt-logger
/// (built here from its documented schema), JSONL in the seed's export format (the package's and this tool's), and
/// what it does not read. Exports after an import are compared with the lines the Python package exports for the
/// same database, written out below.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class ImportSourcesTests(StoreKind kind)
{
    private const string Mine = "my-namespace";
    private const string Other = "other";

    /// <summary>What an application may have sent a model: quotes, line breaks, terminal escapes, bidi overrides, markup, a second JSON record.</summary>
    private const string Hostile =
        "quote \" backslash \\ newline \n cr \r tab \t esc \u001b[31mred\u001b[0m osc \u001b]0;title\u0007 " +
        "bidi \u202egnp.exe ls \u2028 ps \u2029 bom \ufeff emoji 😀 漢字 </script><script>alert(1)</script> }\n{\"id\":\"INJECTED\"}";

    /// <summary>A NUL as well: fine in a JSON column (escaped), which is where chat messages go on both stores.</summary>
    private const string HostileChat = Hostile + " nul \0 end";

    private TestStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _store = TestStore.Create(kind);
        SampleDatabase.Create(_store.Url, _ => { });
    }

    [TearDown]
    public void TearDown() => _store?.Dispose();

    // The lines the Python package (v0.2.0, prompt_logger/models/inference.py and export.py) exports for the database of
    // BuildPythonDatabase, on a machine whose local zone is UTC (a zone elsewhere shifts every time by its offset then).
    private static readonly string[] PythonModelsMine =
    [
        """{"id": "74f0b720-dc78-491d-a123-2c33de50d2ee", "namespace": "my-namespace", "name": "gpt-4.1", "provider": "system", "created": 1744316542.0}""",
    ];

    private static readonly string[] PythonModelsOther =
    [
        """{"id": "3f2e1d0c-b9a8-4765-8432-10fedcba9876", "namespace": "other", "name": "claude-3", "version": "2024-10", "description": "A model\nwith two lines", "created": 1735689600.0}""",
    ];

    private static readonly string[] PythonChatMine =
    [
        """{"id": "d215d38f-ec59-4d20-9493-1c7f4e9a977f", "namespace": "my-namespace", "model": "gpt-4.1", "messages": [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "What is the weather today?"}], "generation_kwargs": {"max_tokens": 50}, "completions": [{"role": "assistant", "content": "I don't have access to real-time data.\n\n- Check your weather app", "finish_reason": "length"}], "inference_on": 1745360143.533253, "inference_seconds": 1.272673}""",
        """{"id": "5a4c3c1e-8f0e-4a43-9c57-0b1c7a2d9e11", "namespace": "my-namespace", "model": "gpt-4.1", "messages": [{"role": "user", "content": "Weather in Paris?"}], "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}, {"type": "function", "function": {"name": "lookup", "parameters": {}}}], "generation_kwargs": {"temperature": 0.2, "tool_choice": "auto"}, "completions": [{"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}], "finish_reason": "tool_calls"}], "inference_on": 1745360160.000001, "inference_seconds": 0.5}""",
        """{"id": "9b2f6d7a-3c1e-4d5f-8a9b-1c2d3e4f5a6b", "namespace": "my-namespace", "model": "gpt-4.1", "messages": [{"role": "user", "content": "Weather in Paris?"}, {"role": "assistant"}, {"role": "tool", "content": "{\"temp\": 21}", "tool_call_id": "call_1"}], "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}], "completions": [{"role": "assistant", "content": "It is 21 \u00b0C in Paris.", "finish_reason": "stop"}, {"role": "assistant", "tool_calls": [{"id": "call_2", "type": "function", "function": {"name": "lookup", "arguments": {"q": "Paris"}}}, {"id": "call_3", "type": "function", "function": {"name": "get_weather", "arguments": null}}], "finish_reason": "tool_calls"}], "inference_on": 1745360162.25, "inference_seconds": 0.75}""",
    ];

    private static readonly string[] PythonChatOther =
    [
        """{"id": "7c6b5a49-3827-4160-9f8e-7d6c5b4a3928", "namespace": "other", "model": "claude-3", "messages": [{"role": "system"}, {"role": "user", "content": HOSTILE_CHAT}], "completions": [{"role": "assistant", "content": HOSTILE_CHAT, "finish_reason": "stop"}], "inference_on": 1745395200.0, "inference_seconds": 2.0}""",
    ];

    private static readonly string[] PythonTextMine =
    [
        """{"id": "0e1d2c3b-4a59-4687-9abc-def012345678", "namespace": "my-namespace", "prompt": "What is the weather?", "response": "It's sunny!", "inference_on": 1745360220.5}""",
    ];

    private static readonly string[] PythonTextOther =
    [
        """{"id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "namespace": "other", "prompt": HOSTILE, "response": HOSTILE, "model": "claude-3", "inference_on": 1745395201.0}""",
    ];

    private static readonly string[] PythonTextDefault =
    [
        """{"id": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "namespace": "default", "response": "ok", "inference_on": 1745398800.0}""",
    ];

    [Test]
    public void APythonDatabase_ExportsAfterImport_ThePackagesOwnLines()
    {
        var python = BuildPythonDatabase();

        var result = PromptLoggerCommand.Run("import", python, "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ErrorLines, Is.EqualTo(new[]
        {
            $"Reading {python} as a database of the Python prompt-logger",
            $"Imported 7 records and 2 models from {python} into {DisplayName}",
        }));
        AssertExports();
    }

    [Test]
    public void APythonDatabase_ImportedTwice_IsStoredOnce()
    {
        var python = BuildPythonDatabase();
        Assert.That(PromptLoggerCommand.Run("import", python, "-d", _store.Url).ExitCode, Is.Zero);

        var again = PromptLoggerCommand.Run("import", python, "-d", _store.Url);

        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.ErrorLines[1..], Is.EqualTo(new[]
        {
            $"Imported 0 records and 0 models from {python} into {DisplayName}",
            "7 records were already in the database.",
            "2 models were already in the database (the same id, or the same name in the namespace).",
        }));
        Assert.That(Count("SELECT COUNT(*) FROM prompts"), Is.EqualTo(7));
        Assert.That(Count("SELECT COUNT(*) FROM models"), Is.EqualTo(2));
        AssertExports();
    }

    [Test]
    public void ThePackagesExportedLines_ImportAsItsDatabaseDoes()
    {
        var models = Write("models.jsonl", [.. PythonModelsMine, .. PythonModelsOther]);
        var prompts = Write("prompts.jsonl", [.. PythonChatMine, .. PythonChatOther]);
        var texts = Write("texts.jsonl", [.. PythonTextMine, .. PythonTextOther, .. PythonTextDefault]);

        foreach (var file in new[] { models, prompts, texts })
        {
            var result = PromptLoggerCommand.Run("import", file, "-d", _store.Url);
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.ErrorLines[0], Is.EqualTo($"Reading {file} as JSONL in the seed's export format"));
        }

        AssertExports();
    }

    [Test]
    public void ThisToolsExport_ImportedIntoAnEmptyDatabase_ExportsTheSameBytes()
    {
        Assert.That(PromptLoggerCommand.Run("import", BuildPythonDatabase(), "-d", _store.Url).ExitCode, Is.Zero);
        var exports = ExportEverything(_store.Url);
        using var empty = TestStore.Create(kind);
        SampleDatabase.Create(empty.Url, _ => { });

        // Models first, so that they keep their ids and times (a prompt of a model not yet stored registers it anew).
        foreach (var (name, bytes) in exports)
        {
            var file = _store.Temp.File(name + ".jsonl");
            File.WriteAllBytes(file, bytes);
            var result = PromptLoggerCommand.Run("import", file, "-d", empty.Url);
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
        }

        var again = ExportEverything(empty.Url);
        foreach (var (name, bytes) in exports)
        {
            Assert.That(Encoding.UTF8.GetString(again[name]), Is.EqualTo(Encoding.UTF8.GetString(bytes)), name);
        }

        Assert.That(exports["chat"].Length, Is.GreaterThan(1000), "the comparison is of real lines");
    }

    [Test]
    public void LinesWithoutANamespace_GoToTheOneGiven_AndLinesWithoutAnIdAreStoredOnce()
    {
        var file = Write("hand-written.jsonl",
        [
            """{"prompt": "no namespace, no id", "response": "r", "inference_on": 1745360220.5}""",
            """{"id": "t-ns", "namespace": "named", "prompt": "has its own", "response": "r", "inference_on": 1745360221.0}""",
            """{"messages": [{"role": "user", "content": "hi"}], "completions": [{"role": "assistant", "content": "hello"}], "model": "m", "inference_on": 1745360222.0}""",
        ]);

        var first = PromptLoggerCommand.Run("import", file, "-n", "given", "-d", _store.Url);
        var second = PromptLoggerCommand.Run("import", file, "-n", "given", "-d", _store.Url);

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(second.ErrorLines[^1], Is.EqualTo("3 records were already in the database."));
        Assert.That(Export("prompts", "given", "--type", "text").Select(l => (string?)l["prompt"]), Is.EqualTo(new[] { "no namespace, no id" }));
        Assert.That(Export("prompts", "named", "--type", "text").Select(l => (string?)l["prompt"]), Is.EqualTo(new[] { "has its own" }));
        Assert.That(Export("prompts", "given").Select(l => (string?)l["completions"]![0]!["content"]), Is.EqualTo(new[] { "hello" }));
        Assert.That(Count("SELECT COUNT(*) FROM prompts"), Is.EqualTo(3));

        var withoutN = PromptLoggerCommand.Run("import", Write("default.jsonl", ["""{"prompt": "p", "response": "r", "inference_on": 1.0}"""]), "-d", _store.Url);
        Assert.That(withoutN.ExitCode, Is.Zero, withoutN.ToString());
        Assert.That(Export("prompts", "default", "--type", "text").Select(l => (string?)l["prompt"]), Is.EqualTo(new[] { "p" }));
    }

    [Test]
    public void JsonlLinesThatAreNotRecords_AreSkippedAndCounted_AndNeverHalfStored()
    {
        var file = _store.Temp.File("bad.jsonl");
        using (var output = File.Create(file))
        {
            output.Write(Encoding.UTF8.GetBytes(PythonTextMine[0] + "\n"));
            output.Write([.. "{\"id\": \"latin1\", \"prompt\": \"caf"u8, 0xE9, .. "\", \"response\": \"r\", \"inference_on\": 1.0}\n"u8]);
            output.Write("not a record\n\n"u8);
            output.Write("""{"id": "wrong-type", "messages": "not a list", "inference_on": 1.0}"""u8);
            output.Write("\n"u8);
            output.Write("""{"id": "no-time", "prompt": "p", "response": "r"}"""u8);
            output.Write("\n"u8);
            output.Write(Encoding.UTF8.GetBytes(PythonTextOther[0].Replace("HOSTILE", JsonSerializer.Serialize(Hostile), StringComparison.Ordinal) + "\n"));
            output.Write("""{"id": "cut-short", "prompt": "the file ends in the midd"""u8);
        }

        var result = PromptLoggerCommand.Run("import", file, "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ErrorLines[1..], Is.EqualTo(new[]
        {
            $"Imported 2 records from {file} into {DisplayName}",
            "Skipped 5 lines that are not records (the first is line 2: not UTF-8).",
        }));
        Assert.That(Count("SELECT COUNT(*) FROM prompts"), Is.EqualTo(2));
        Assert.That(Export("prompts", Other, "--type", "text").Single()["prompt"]!.GetValue<string>(), Is.EqualTo(Hostile), "byte for byte");
    }

    [Test]
    public void PythonRowsThatAreNotRecords_AreSkippedAndCounted_TheOthersStored()
    {
        var python = BuildPythonDatabase(database =>
        {
            database.Model("bad-model", "bad", "x", "2025-04-10 20:22:22.000000");
            database.Prompt("bad-utf8", "bad", "bad-model", "2025-04-22 22:15:43.000000", 1, null);
            database.Execute("INSERT INTO chat_messages VALUES ('m-bad', 'bad', '2025-04-22 22:15:43.000000', 'bad-utf8', 'user', CAST(x'636166e9' AS TEXT), NULL)");
            database.Prompt("bad-json", "bad", "bad-model", "2025-04-22 22:15:44.000000", 1, "{\"temperature\": NaN}");
            database.Prompt("bad-kind", "bad", "bad-model", "2025-04-22 22:15:45.000000", 1, "[1, 2]");
            database.Text("bad-time", "bad", "p", "r", "yesterday");
        });

        var result = PromptLoggerCommand.Run("import", python, "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ErrorLines[1..], Is.EqualTo(new[]
        {
            $"Imported 7 records and 3 models from {python} into {DisplayName}",
            "Skipped 4 rows that could not be read as records (the first is chat prompt bad-utf8: a text that is not UTF-8).",
        }));
        Assert.That(Count("SELECT COUNT(*) FROM prompts WHERE namespace = 'bad'"), Is.Zero, "none half-stored");
        AssertExports();
    }

    [TestCase("junk.bin", new byte[] { 0x00, 0xFF, 0x13, 0x37, 0x0A, 0xC3, 0x28 })]
    [TestCase("table.csv", new byte[] { (byte)'a', (byte)',', (byte)'b', (byte)'\n', (byte)'1', (byte)',', (byte)'2', (byte)'\n' })]
    [TestCase("objects.jsonl", new byte[] { (byte)'{', (byte)'"', (byte)'x', (byte)'"', (byte)':', (byte)'1', (byte)'}', (byte)'\n' })]
    [TestCase("sqlite-header-only.db", new byte[] { (byte)'S', (byte)'Q', (byte)'L', (byte)'i', (byte)'t', (byte)'e', (byte)' ', (byte)'f', (byte)'o', (byte)'r', (byte)'m', (byte)'a', (byte)'t', (byte)' ', (byte)'3', 0, 1, 2, 3 })]
    public void AFileThatIsNoneOfThese_ExitsOne_NamingWhatIsExpected(string name, byte[] content)
    {
        var file = _store.Temp.File(name);
        File.WriteAllBytes(file, content);

        var result = PromptLoggerCommand.Run("import", file, "-d", _store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith($"prompt-logger: error: {file} "));
        if (!name.EndsWith(".db", StringComparison.Ordinal))
        {
            Assert.That(result.Error, Is.EqualTo($"prompt-logger: error: {file} is none of what import reads: {ImportSource.Expected}.\n"));
        }

        Assert.That(Count("SELECT COUNT(*) FROM prompts"), Is.Zero);
    }

    [Test]
    public void ADatabaseOfAnotherApplication_OrOfPromptLogger_IsNotImported()
    {
        var foreign = _store.Temp.File("foreign.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            connection.Open();
            connection.Execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
        }

        var ours = _store.Temp.File("ours.db");
        SampleDatabase.Create("sqlite:///" + ours, logger => logger.SaveInteraction("p", "r"));

        var foreignResult = PromptLoggerCommand.Run("import", foreign, "-d", _store.Url);
        var oursResult = PromptLoggerCommand.Run("import", ours, "-d", _store.Url);

        Assert.That(foreignResult.ExitCode, Is.EqualTo(1), foreignResult.ToString());
        Assert.That(foreignResult.Error, Is.EqualTo(
            $"prompt-logger: error: {foreign} is a SQLite database without the Python prompt-logger's tables (prompts, text_completions); import reads {ImportSource.Expected}.\n"));
        Assert.That(oursResult.ExitCode, Is.EqualTo(1), oursResult.ToString());
        Assert.That(oursResult.Error, Does.Contain("is a PromptLogger database, which import does not read: export its records"));
        Assert.That(Count("SELECT COUNT(*) FROM prompts"), Is.Zero);
    }

    [Test]
    public void DeleteOfADatabase_ExitsTwo_AndKeepsIt()
    {
        var python = BuildPythonDatabase();

        var result = PromptLoggerCommand.Run("import", python, "--delete", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.StartWith("prompt-logger: error: --delete deletes spool and JSONL files, never a database"));
        Assert.That(File.Exists(python), Is.True);
        Assert.That(Count("SELECT COUNT(*) FROM prompts"), Is.Zero);
    }

    [TestCase(1, 3, false, "is cut short: its ")]
    [TestCase(99, 100, false, "is cut short: its ")]
    [TestCase(1, 2, true, "is cut short: its header says ")]
    public void ACutShortPythonDatabase_ExitsOne_AndStoresNothingOfIt(int numerator, int denominator, bool wholePages, string error)
    {
        var python = BuildPythonDatabase(Bulk);
        var bytes = File.ReadAllBytes(python);
        var length = bytes.Length * numerator / denominator;
        File.WriteAllBytes(python, bytes[..(wholePages ? length - length % 4096 : length)]);

        var result = PromptLoggerCommand.Run("import", python, "-d", _store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith($"prompt-logger: error: {python} {error}").And.EndWith("Nothing was imported; import a whole copy of the database.\n"));
        Assert.That(Count("SELECT COUNT(*) FROM prompts"), Is.Zero);
    }

    [Test]
    public void ADamagedPythonDatabase_ExitsOne_AndStoresNothingOfIt()
    {
        var python = BuildPythonDatabase(Bulk);
        var bytes = File.ReadAllBytes(python);
        // Zeroes in the middle of the file, a whole page's worth: its length still looks right.
        Array.Clear(bytes, bytes.Length / 2, 4096);
        File.WriteAllBytes(python, bytes);

        var result = PromptLoggerCommand.Run("import", python, "-d", _store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.StartWith($"prompt-logger: error: {python} is damaged (SQLite's quick_check: "));
        Assert.That(Count("SELECT COUNT(*) FROM prompts"), Is.Zero);
    }

    [Test]
    public void APythonDatabaseWhoseTableCannotBeRead_StopsThere_KeepingTheWholeRecordsReadBefore()
    {
        var python = BuildPythonDatabase(database => database.Execute("ALTER TABLE chat_messages DROP COLUMN tool_call_id"));

        var result = PromptLoggerCommand.Run("import", python, "-d", _store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[1..], Is.EqualTo(new[]
        {
            $"Imported 0 records and 2 models from {python} into {DisplayName}",
            $"prompt-logger: error: stopped reading {python}: its table chat_messages cannot be read (SQLite Error 1: 'no such column: m.tool_call_id'). " +
            "What was read before is stored; the rest is not.",
        }));
        Assert.That(Count("SELECT COUNT(*) FROM models"), Is.EqualTo(2));
        Assert.That(Count("SELECT COUNT(*) FROM prompts"), Is.Zero, "no prompt without its messages");
    }

    private static void Bulk(PythonPackageDatabase database)
    {
        database.Execute("BEGIN");
        for (var i = 0; i < 400; i++)
        {
            var id = $"bulk-{i:D4}";
            database.Prompt(id, "bulk", "74f0b720-dc78-491d-a123-2c33de50d2ee", "2025-04-22 22:15:43.000000", 1, null);
            database.Message(id, "bulk", "user", $"question {i} " + new string('q', 500));
            database.Completion($"c-{id}", id, "bulk", "assistant", $"answer {i} " + new string('a', 500), "stop");
        }

        database.Execute("COMMIT");
    }

    private string DisplayName => kind == StoreKind.Sqlite ? _store.Temp.File("prompts.db") : PromptLogging.Storage.DatabaseUrl.Parse(_store.Url).Redacted;

    private void AssertExports()
    {
        AssertLines(Export("models", Mine), PythonModelsMine);
        AssertLines(Export("models", Other), PythonModelsOther);
        AssertLines(Export("prompts", Mine), PythonChatMine, chat: true);
        AssertLines(Export("prompts", Other), PythonChatOther, chat: true);
        AssertLines(Export("prompts", Mine, "--type", "text"), PythonTextMine);
        AssertLines(Export("prompts", Other, "--type", "text"), PythonTextOther);
        AssertLines(Export("prompts", "default", "--type", "text"), PythonTextDefault);
        Assert.That(Export("prompts", Other).Single()["messages"]![1]!["content"]!.GetValue<string>(), Is.EqualTo(HostileChat), "byte for byte");
    }

    /// <summary>
    /// The exported lines hold the package's, field for field and value for value; a chat line adds only what
    /// PromptLogger adds to every chat record it stores (the conversation it inferred).
    /// </summary>
    private static void AssertLines(List<JsonObject> actual, string[] expected, bool chat = false)
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Length), string.Join("\n", actual.Select(a => a.ToJsonString())));
        for (var i = 0; i < expected.Length; i++)
        {
            var line = actual[i];
            if (chat)
            {
                Assert.That(line["conversation_id"]?.GetValue<string>(), Is.Not.Empty);
                line.Remove("conversation_id");
            }

            JsonAssert.AreEqual(Python(expected[i]), line, $"line {i + 1}");
        }
    }

    /// <summary>A line as the package wrote it here, its times shifted to this machine's zone when that is not UTC.</summary>
    private static string Python(string line)
    {
        var json = JsonNode.Parse(line
            .Replace("HOSTILE_CHAT", JsonSerializer.Serialize(HostileChat), StringComparison.Ordinal)
            .Replace("HOSTILE", JsonSerializer.Serialize(Hostile), StringComparison.Ordinal))!.AsObject();
        foreach (var field in new[] { "inference_on", "created" })
        {
            if (json[field] is { } value)
            {
                var utc = value.GetValue<double>();
                var whole = Math.Floor(utc);
                var local = DateTime.UnixEpoch.AddSeconds(whole);
                var offset = TimeZoneInfo.Local.GetUtcOffset(local).TotalSeconds;
                json[field] = JsonNode.Parse((whole - offset + Math.Round((utc - whole) * 1e6) / 1e6).ToString("R", CultureInfo.InvariantCulture));
            }
        }

        return json.ToJsonString();
    }

    private string BuildPythonDatabase(Action<PythonPackageDatabase>? more = null)
    {
        var path = _store.Temp.File("python_prompts.db");
        using var database = new PythonPackageDatabase(path);
        database.Model("74f0b720-dc78-491d-a123-2c33de50d2ee", Mine, "gpt-4.1", "2025-04-10 20:22:22.000000", provider: "system");
        database.Model("3f2e1d0c-b9a8-4765-8432-10fedcba9876", Other, "claude-3", "2025-01-01 00:00:00.000000", version: "2024-10", description: "A model\nwith two lines");
        database.Tool("tool-weather", Mine, """{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}""");
        database.Tool("tool-lookup", Mine, """{"type": "function", "function": {"name": "lookup", "parameters": {}}}""");

        const string p1 = "d215d38f-ec59-4d20-9493-1c7f4e9a977f";
        database.Prompt(p1, Mine, "74f0b720-dc78-491d-a123-2c33de50d2ee", "2025-04-22 22:15:43.533253", 1.272673, """{"max_tokens": 50}""");
        database.Message(p1, Mine, "system", "You are a helpful assistant.");
        database.Message(p1, Mine, "user", "What is the weather today?");
        database.Completion("c1", p1, Mine, "assistant", "I don't have access to real-time data.\n\n- Check your weather app", "length");

        const string p2 = "5a4c3c1e-8f0e-4a43-9c57-0b1c7a2d9e11";
        database.Prompt(p2, Mine, "74f0b720-dc78-491d-a123-2c33de50d2ee", "2025-04-22 22:16:00.000001", 0.5, """{"temperature": 0.2, "tool_choice": "auto"}""");
        database.Offer(p2, "tool-weather");
        database.Offer(p2, "tool-lookup");
        database.Message(p2, Mine, "user", "Weather in Paris?");
        database.Completion("c2", p2, Mine, "assistant", null, "tool_calls");
        database.ToolCall("c2", Mine, "call_1", "get_weather", """ "{\"city\": \"Paris\"}" """.Trim());

        // Text rows between the chat rows: each table keeps its own order.
        database.Text("0e1d2c3b-4a59-4687-9abc-def012345678", Mine, "What is the weather?", "It's sunny!", "2025-04-22 22:17:00.500000");

        const string p3 = "9b2f6d7a-3c1e-4d5f-8a9b-1c2d3e4f5a6b";
        database.Prompt(p3, Mine, "74f0b720-dc78-491d-a123-2c33de50d2ee", "2025-04-22 22:16:02.250000", 0.75, "null");
        database.Offer(p3, "tool-weather");
        database.Message(p3, Mine, "user", "Weather in Paris?");
        database.Message(p3, Mine, "assistant", null);
        database.Message(p3, Mine, "tool", """{"temp": 21}""", "call_1");
        database.Completion("c3", p3, Mine, "assistant", "It is 21 °C in Paris.", "stop");
        database.Completion("c4", p3, Mine, "assistant", "   ", "tool_calls");
        database.ToolCall("c4", Mine, "call_2", "lookup", """{"q": "Paris"}""");
        database.ToolCall("c4", Mine, "call_3", "get_weather", null);

        const string p4 = "7c6b5a49-3827-4160-9f8e-7d6c5b4a3928";
        database.Prompt(p4, Other, "3f2e1d0c-b9a8-4765-8432-10fedcba9876", "2025-04-23 08:00:00.000000", 2.0, "{}");
        database.Message(p4, Other, "system", "   ");
        database.Message(p4, Other, "user", HostileChat);
        database.Completion("c5", p4, Other, "assistant", HostileChat, "stop");
        database.Text("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", Other, Hostile, Hostile, "2025-04-23 08:00:01.000000", model: "claude-3");
        database.Text("2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "default", " \n ", "ok", "2025-04-23 09:00:00.000000");
        more?.Invoke(database);
        return path;
    }

    private string Write(string name, string[] lines)
    {
        var path = _store.Temp.File(name);
        File.WriteAllText(path, string.Concat(lines.Select(line => Python(line) + "\n")));
        return path;
    }

    private List<JsonObject> Export(string what, string @namespace, params string[] options) => ExportFrom(_store.Url, what, @namespace, options);

    private static List<JsonObject> ExportFrom(string url, string what, string @namespace, params string[] options)
    {
        var result = PromptLoggerCommand.Run(["export", what, "-", "-d", url, "-n", @namespace, .. options]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return ToolResult.ParseJsonl(result.DataText);
    }

    /// <summary>Every namespace's models, chat and text prompts, as bytes, models first.</summary>
    private static Dictionary<string, byte[]> ExportEverything(string url)
    {
        var exports = new Dictionary<string, byte[]>();
        foreach (var (name, args) in new[]
        {
            ("models", new[] { "export", "models", "-", "--all-namespaces" }),
            ("chat", new[] { "export", "prompts", "-", "--all-namespaces" }),
            ("text", new[] { "export", "prompts", "-", "--all-namespaces", "--type", "text" }),
        })
        {
            var result = PromptLoggerCommand.Run([.. args, "-d", url]);
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            exports[name] = result.Data;
        }

        return exports;
    }

    private long Count(string sql)
    {
        using var connection = _store.Open();
        return connection.ExecuteScalar<long>(sql);
    }
}
