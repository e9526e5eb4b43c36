using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool.Verbs;

/// <summary>The <c>export</c> verb run end to end in-process, against real SQLite files written by a real logger.</summary>
[TestFixture]
public sealed class ExportRunnerTests
{
    private const string Namespace = "my-namespace";

    private TempFolder _temp = null!;
    private string _url = null!;
    private string _database = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _database = _temp.File("prompts.db");
        _url = _temp.DatabaseUrl("prompts.db");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void ExportModels_WritesEachModelOfTheNamespaceOnce()
    {
        SampleDatabase.Create(_url, logger =>
        {
            logger.SaveInteraction("q1", "a1", Namespace, "gpt-4.1");
            logger.SaveInteraction("q2", "a2", Namespace, "gpt-4o");
            logger.SaveInteraction("q3", "a3", Namespace, "gpt-4.1");
            logger.SaveInteraction("q4", "a4", "elsewhere", "claude");
        });
        var output = _temp.File("models.jsonl");

        var result = PromptLoggerCommand.Run("export", "models", output, "--namespace", Namespace, "--database", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var models = ToolResult.ParseJsonl(File.ReadAllText(output));
        Assert.That(models.Select(m => (string?)m["name"]), Is.EquivalentTo(new[] { "gpt-4.1", "gpt-4o" }));
        Assert.That(models.Select(m => (string?)m["namespace"]), Has.All.EqualTo(Namespace));
        Assert.That(models.Select(m => (string?)m["id"]), Has.All.Not.Empty);
        Assert.That(result.Error, Is.EqualTo($"Exported 2 models to {output}\n"));
        Assert.That(result.Out, Is.Empty);
    }

    [Test]
    public void ExportPrompts_WithTypeText_WritesExactlyWhatSaveInteractionStored()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        SampleDatabase.Create(_url, logger =>
        {
            logger.SaveInteraction("What is the weather?", "It's sunny!", Namespace, "gpt-4.1");
            logger.SaveInteraction("Ünïcödé \"quotes\" and\nnewlines\t😀", "<b>&</b>", Namespace);
            logger.SaveInteraction("other namespace", "not exported", "elsewhere", "gpt-4.1");
        });
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 + 0.001;
        Directory.CreateDirectory(_temp.File("work"));

        var result = PromptLoggerCommand.Run("export", "prompts", _temp.File("work/out.jsonl"), "--type", "text", "-n", Namespace, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = ToolResult.ParseJsonl(File.ReadAllText(_temp.File("work/out.jsonl")));
        var stored = ReadTextPrompts(Namespace);
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(stored, Has.Count.EqualTo(2));
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var row = stored[i];
            Assert.Multiple(() =>
            {
                Assert.That(line.Select(p => p.Key), Is.SubsetOf(new[] { "id", "namespace", "prompt", "response", "inference_on", "model", "inference_seconds" }));
                Assert.That((string?)line["id"], Is.EqualTo(row.Id));
                Assert.That(Guid.TryParse((string?)line["id"], out _), Is.True);
                Assert.That((string?)line["namespace"], Is.EqualTo(Namespace));
                Assert.That((string?)line["prompt"], Is.EqualTo(row.Prompt));
                Assert.That((string?)line["response"], Is.EqualTo(row.Response));
                Assert.That((string?)line["model"], Is.EqualTo(row.Model));
                Assert.That((double?)line["inference_on"], Is.EqualTo(row.InferenceOn));
                Assert.That((double?)line["inference_on"], Is.InRange(before, after));
            });
        }

        Assert.Multiple(() =>
        {
            Assert.That((string?)lines[0]["prompt"], Is.EqualTo("What is the weather?"));
            Assert.That((string?)lines[0]["response"], Is.EqualTo("It's sunny!"));
            Assert.That((string?)lines[0]["model"], Is.EqualTo("gpt-4.1"));
            Assert.That((string?)lines[1]["prompt"], Is.EqualTo("Ünïcödé \"quotes\" and\nnewlines\t😀"));
            Assert.That((string?)lines[1]["response"], Is.EqualTo("<b>&</b>"));
            Assert.That(lines[1].ContainsKey("model"), Is.False, "no model was given, so none is exported");
        });
    }

    [Test]
    public void ExportPrompts_WithoutType_WritesChatPromptsInTheSeedShape()
    {
        SampleDatabase.Create(_url, logger =>
        {
            logger.Record(SampleDatabase.ChatCall(Namespace, "gpt-4.1", "What is the weather today?", "Sunny."));
            logger.SaveInteraction("a text prompt", "is not a chat prompt", Namespace, "gpt-4.1");
        });
        var output = _temp.File("prompts.jsonl");

        var result = PromptLoggerCommand.Run("export", "prompts", output, "-n", Namespace, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var prompt = ToolResult.ParseJsonl(File.ReadAllText(output)).Single();
        Assert.Multiple(() =>
        {
            Assert.That((string?)prompt["namespace"], Is.EqualTo(Namespace));
            Assert.That((string?)prompt["model"], Is.EqualTo("gpt-4.1"));
            Assert.That(prompt["messages"]!.ToJsonString(), Is.EqualTo(
                """[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is the weather today?"}]"""));
            Assert.That(prompt["generation_kwargs"]!.ToJsonString(), Is.EqualTo("""{"max_tokens":50}"""));
            Assert.That(prompt["completions"]!.ToJsonString(), Is.EqualTo("""[{"role":"assistant","content":"Sunny.","finish_reason":"stop"}]"""));
            Assert.That((double?)prompt["inference_seconds"], Is.EqualTo(1.234));
            Assert.That(prompt["usage"]!.ToJsonString(), Is.EqualTo("""{"input_tokens":12,"output_tokens":7}"""));
            Assert.That(prompt.ContainsKey("prompt"), Is.False);
        });
        Assert.That(result.Error, Is.EqualTo($"Exported 1 prompt to {output}\n"));
    }

    [Test]
    public void ExportPrompts_WithTypeChat_LeavesTextPromptsOut()
    {
        SampleDatabase.Create(_url, logger =>
        {
            logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "chat 1", "answer 1"));
            logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "chat 2", "answer 2"));
            logger.SaveInteraction("text", "response");
        });

        var result = PromptLoggerCommand.Run("export", "prompts", "-", "--type=chat", "--database=" + _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var prompts = ToolResult.ParseJsonl(result.DataText);
        Assert.That(prompts.Select(p => (string?)p["messages"]![1]!["content"]), Is.EqualTo(new[] { "chat 1", "chat 2" }));
        Assert.That(prompts.Select(p => (string?)p["namespace"]), Has.All.EqualTo("default"));
    }

    [TestCase("gpt-4o", new[] { "gpt-4o" })]
    [TestCase("gpt-4.1,claude", new[] { "gpt-4.1", "claude" })]
    [TestCase(" gpt-4.1 , claude ", new[] { "gpt-4.1", "claude" })]
    [TestCase("all", new[] { "gpt-4.1", "gpt-4o", "claude" })]
    [TestCase("nobody", new string[0])]
    public void ExportPrompts_WithModels_WritesOnlyThoseModels(string models, string[] expected)
    {
        SampleDatabase.Create(_url, logger =>
        {
            logger.SaveInteraction("p1", "r1", model: "gpt-4.1");
            logger.SaveInteraction("p2", "r2", model: "gpt-4o");
            logger.SaveInteraction("p3", "r3", model: "claude");
        });

        var result = PromptLoggerCommand.Run("export", "prompts", "-", "-t", "text", "-m", models, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(ToolResult.ParseJsonl(result.DataText).Select(p => (string?)p["model"]), Is.EquivalentTo(expected));
    }

    [Test]
    public void ExportModels_WithModels_WritesOnlyThoseModels()
    {
        SampleDatabase.Create(_url, logger =>
        {
            logger.SaveInteraction("p1", "r1", model: "gpt-4.1");
            logger.SaveInteraction("p2", "r2", model: "gpt-4o");
            logger.SaveInteraction("p3", "r3", model: "claude");
        });

        var result = PromptLoggerCommand.Run("export", "models", "-", "--models", "claude,gpt-4o", "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(ToolResult.ParseJsonl(result.DataText).Select(m => (string?)m["name"]), Is.EquivalentTo(new[] { "gpt-4o", "claude" }));
    }

    [TestCase("-n")]
    [TestCase("--namespace")]
    public void ExportPrompts_WithNamespace_WritesOnlyThatNamespace(string flag)
    {
        SampleDatabase.Create(_url, logger =>
        {
            logger.SaveInteraction("mine", "r", "team-a");
            logger.SaveInteraction("theirs", "r", "team-b");
            logger.SaveInteraction("default's", "r");
        });

        var result = PromptLoggerCommand.Run("export", "prompts", "-", "--type", "text", flag, "team-a", "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(ToolResult.ParseJsonl(result.DataText).Select(p => (string?)p["prompt"]), Is.EqualTo(new[] { "mine" }));
    }

    [Test]
    public void ExportPrompts_ToDash_WritesDataToStandardOutputAndTheSummaryToStandardError()
    {
        SampleDatabase.Create(_url, logger =>
        {
            logger.SaveInteraction("p1", "r1");
            logger.SaveInteraction("p2", "r2");
        });

        var result = PromptLoggerCommand.Run("export", "prompts", "-", "--type", "text", "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(ToolResult.ParseJsonl(result.DataText), Has.Count.EqualTo(2));
        Assert.That(result.Out, Is.Empty, "only data goes to standard output");
        Assert.That(result.Error, Is.EqualTo("Exported 2 prompts to standard output\n"));
        Assert.That(File.Exists("-"), Is.False, "'-' is not a file name");
        Assert.That(Directory.GetFiles(_temp.Path), Has.All.StartWith(_database), "the database and SQLite's -wal/-shm, nothing else");
    }

    [Test]
    public void ExportPrompts_WhenNothingMatches_WritesAnEmptyFileAndSaysSo()
    {
        SampleDatabase.Create(_url, logger => logger.SaveInteraction("p", "r"));
        var output = _temp.File("empty.jsonl");

        var result = PromptLoggerCommand.Run("export", "prompts", output, "-n", "nobody", "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(File.ReadAllBytes(output), Is.Empty);
        Assert.That(result.Error, Is.EqualTo(
            $"Exported 0 prompts to {output}\nprompt-logger: warning: nothing matched in namespace 'nobody'; the database holds namespaces: default; models: none.\n"));
    }

    [TestCase("prompts")]
    [TestCase("models")]
    public void Export_WhenDatabaseMissing_ExitsOneAndCreatesNothing(string what)
    {
        var database = _temp.File("missing/prompts.db");
        var output = _temp.File("out.jsonl");

        var result = PromptLoggerCommand.Run("export", what, output, "-d", "sqlite:///" + database);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Is.EqualTo($"prompt-logger: error: database not found: {database}\n"));
        Assert.That(File.Exists(database), Is.False);
        Assert.That(Directory.Exists(_temp.File("missing")), Is.False);
        Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path), Is.Empty, "no output, no temporary file");
    }

    [Test]
    public void ExportPrompts_WhenDatabaseMissingAndOutputIsDash_ExitsOneAndWritesNoData()
    {
        var result = PromptLoggerCommand.Run("export", "prompts", "-", "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Data, Is.Empty);
        Assert.That(result.ErrorLines, Is.EqualTo(new[] { $"prompt-logger: error: database not found: {_database}" }));
        Assert.That(File.Exists(_database), Is.False);
    }

    [Test]
    public void ExportPrompts_WhenDatabaseMissing_LeavesAnExistingOutputUntouched()
    {
        var output = _temp.File("out.jsonl");
        File.WriteAllText(output, "earlier export\n");

        var result = PromptLoggerCommand.Run("export", "prompts", output, "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(File.ReadAllText(output), Is.EqualTo("earlier export\n"));
        Assert.That(Directory.GetFiles(_temp.Path), Is.EqualTo(new[] { output }));
    }

    [Test]
    public void ExportPrompts_WhenOutputIsTheDatabase_ExitsOneAndLeavesTheDatabaseUnchanged()
    {
        SampleDatabase.Create(_url, logger => logger.SaveInteraction("p", "r"));
        var before = Hash(_database);

        var result = PromptLoggerCommand.Run("export", "prompts", _database, "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("prompt-logger: error: ").And.Contain("is the database file itself"));
        Assert.That(result.Error, Does.Not.Contain("(Parameter"));
        Assert.That(Hash(_database), Is.EqualTo(before));
        Assert.That(PromptLoggerCommand.Run("export", "prompts", "-", "-t", "text", "-d", _url).DataText, Does.Contain("\"prompt\":\"p\""));
    }

    [Test]
    public void ExportPrompts_WhenOutputFolderMissing_ExitsOneAndCreatesNothing()
    {
        SampleDatabase.Create(_url, logger => logger.SaveInteraction("p", "r"));
        var output = _temp.File("no/such/folder/out.jsonl");

        var result = PromptLoggerCommand.Run("export", "prompts", output, "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.ErrorLines, Is.EqualTo(new[] { $"prompt-logger: error: The output folder does not exist: {_temp.File("no/such/folder")}. Create it first, or choose another output path." }));
        Assert.That(Directory.Exists(_temp.File("no")), Is.False);
    }

    [Test]
    public void ExportPrompts_WhenOutputIsAFolder_ExitsOne()
    {
        SampleDatabase.Create(_url, logger => logger.SaveInteraction("p", "r"));

        var result = PromptLoggerCommand.Run("export", "prompts", _temp.Path, "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.ErrorLines.Single(), Does.StartWith("prompt-logger: error: ").And.Contain("is a folder"));
    }

    [Test]
    public void ExportPrompts_WhenOutputFolderIsReadOnly_ExitsOneAndLeavesNoFile()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            Assert.Ignore("Needs Unix permissions that bind: root writes into read-only folders.");
            return;
        }

        SampleDatabase.Create(_url, logger => logger.SaveInteraction("p", "r"));
        var folder = Directory.CreateDirectory(_temp.File("locked")).FullName;
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var result = PromptLoggerCommand.Run("export", "prompts", Path.Combine(folder, "out.jsonl"), "-d", _url);

            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.ErrorLines.Single(), Does.StartWith("prompt-logger: error: "));
            Assert.That(Directory.GetFiles(folder), Is.Empty);
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Test]
    public void ExportPrompts_WhenStandardOutputFails_ExitsOneWithOneLine()
    {
        SampleDatabase.Create(_url, logger => logger.SaveInteraction("p", "r"));

        var result = PromptLoggerCommand.Run(new BrokenPipeStream(), "export", "prompts", "-", "-t", "text", "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.ErrorLines, Is.EqualTo(new[] { "prompt-logger: error: Broken pipe" }));
    }

    [TestCase("prompts.db", Description = "no scheme")]
    [TestCase("mysql://localhost/prompts", Description = "unsupported scheme")]
    [TestCase("postgresql://user:secret@localhost", Description = "postgresql without a database")]
    [TestCase("postgresql://user:secret@localhost:99999/db", Description = "postgresql with a bad port")]
    [TestCase("postgresql://user:secret@localhost/db?bogus=1", Description = "postgresql with an unknown parameter")]
    [TestCase("sqlite://prompts.db", Description = "two slashes")]
    [TestCase("sqlite:///", Description = "no file")]
    [TestCase("sqlite:///prompts.db?mode=ro", Description = "query parameters")]
    [TestCase("", Description = "empty")]
    public void ExportPrompts_WhenDatabaseUrlIsMalformed_ExitsOneWithOneLineAndNoHelp(string url)
    {
        var result = PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "--database", url);

        Assert.That(result.ExitCode, Is.EqualTo(1), "a URL that names no readable database is a failed export, like a missing file");
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("prompt-logger: error: ").And.Contain("sqlite:////absolute/path.db"));
        Assert.That(result.Error, Does.Not.Contain("(Parameter").And.Not.Contain("   at "));
        Assert.That(result.Error, Does.Not.Contain("secret"), "a password in the URL is masked");
        Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path), Is.Empty);
    }

    [Test]
    public void ExportPrompts_WhenDatabaseIsNotSqlite_ExitsOneAndLeavesTheFileAlone()
    {
        File.WriteAllText(_database, "not a database, but somebody's notes");

        var result = PromptLoggerCommand.Run("export", "prompts", "-", "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.ErrorLines.Single(), Does.StartWith($"prompt-logger: error: The file '{_database}' is not a PromptLogger database: it is not a SQLite database."));
        Assert.That(File.ReadAllText(_database), Is.EqualTo("not a database, but somebody's notes"));
    }

    [Test]
    public void Export_NeverModifiesTheDatabase()
    {
        SampleDatabase.Create(_url, logger =>
        {
            logger.SaveInteraction("p", "r", model: "m");
            logger.Record(SampleDatabase.ChatCall(null, "m", "q", "a"));
        });
        var before = Hash(_database);
        var written = File.GetLastWriteTimeUtc(_database);

        foreach (var args in new[]
        {
            new[] { "export", "models", _temp.File("m.jsonl"), "-d", _url },
            new[] { "export", "prompts", _temp.File("c.jsonl"), "-d", _url },
            new[] { "export", "prompts", "-", "-t", "text", "-d", _url },
        })
        {
            Assert.That(PromptLoggerCommand.Run(args).ExitCode, Is.Zero);
        }

        Assert.That(Hash(_database), Is.EqualTo(before));
        Assert.That(File.GetLastWriteTimeUtc(_database), Is.EqualTo(written));
    }

    [Test]
    public void Export_TakesNamespacesAndModelNamesFullOfSqlLiterally()
    {
        const string hostile = "x'); DROP TABLE prompts;--";
        const string quoted = "a\"b' OR '1'='1";
        SampleDatabase.Create(_url, logger =>
        {
            logger.SaveInteraction("p1", "r1", hostile, hostile);
            logger.SaveInteraction("p2", "r2", hostile, quoted);
            logger.SaveInteraction("p3", "r3", hostile, "plain");
            logger.SaveInteraction("p4", "r4", "default", hostile);
        });

        var prompts = PromptLoggerCommand.Run("export", "prompts", "-", "-t", "text", "-n", hostile, "-m", $"{hostile},{quoted}", "-d", _url);
        var models = PromptLoggerCommand.Run("export", "models", "-", "-n", hostile, "-d", _url);
        var injectedNamespace = PromptLoggerCommand.Run("export", "prompts", "-", "-t", "text", "-n", "' OR 1=1 --", "-d", _url);

        Assert.That(prompts.ExitCode, Is.Zero, prompts.ToString());
        var lines = ToolResult.ParseJsonl(prompts.DataText);
        Assert.That(lines.Select(p => (string?)p["model"]), Is.EqualTo(new[] { hostile, quoted }));
        Assert.That(lines.Select(p => (string?)p["namespace"]), Has.All.EqualTo(hostile));
        Assert.That(ToolResult.ParseJsonl(models.DataText).Select(m => (string?)m["name"]), Is.EquivalentTo(new[] { hostile, quoted, "plain" }));
        Assert.That(injectedNamespace.ExitCode, Is.Zero);
        Assert.That(injectedNamespace.Data, Is.Empty);
        Assert.That(ReadTextPrompts("default"), Has.Count.EqualTo(1), "the prompts table is still there");
    }

    private List<StoredTextPrompt> ReadTextPrompts(string @namespace)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = _database, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var sqlite = new SqliteConnection(connection.ToString());
        sqlite.Open();
        using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT id, prompt, response, model, inference_on FROM prompts WHERE namespace = $ns AND kind = 'text' ORDER BY rowid";
        command.Parameters.AddWithValue("$ns", @namespace);
        using var reader = command.ExecuteReader();
        var rows = new List<StoredTextPrompt>();
        while (reader.Read())
        {
            rows.Add(new StoredTextPrompt(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetDouble(4)));
        }

        return rows;
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private sealed record StoredTextPrompt(string Id, string Prompt, string Response, string? Model, double InferenceOn);

    /// <summary>Standard output piped into a reader that has gone away.</summary>
    private sealed class BrokenPipeStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");

        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("Broken pipe");

        public override void WriteByte(byte value) => throw new IOException("Broken pipe");
    }
}
