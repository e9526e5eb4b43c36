using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Tests.Support;
using PromptLogging.Tool;

namespace PromptLogging.Tests.Tool.Verbs;

/// <summary>
/// The <c>import</c> verb run end to end in-process: spool files written by the real <c>Spool</c> (or by a logger
/// whose database was locked) imported into real SQLite files, then read back with <c>export</c>.
/// </summary>
[TestFixture]
public sealed class ImportRunnerTests
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
    public void Import_StoresEveryRecordOfTheSpoolFile_AndExportFindsThem()
    {
        SampleDatabase.Create(_url, logger => logger.SaveInteraction("already here", "r", Namespace, "gpt-4.1"));
        var spool = SampleSpool.Write(_database, SampleSpool.TextRecords(Namespace, 3));

        var result = PromptLoggerCommand.Run("import", spool, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Error, Is.EqualTo($"{Reading(spool)}\nImported 3 records from {spool} into {_database}\n"));
        Assert.That(result.Out, Is.Empty);
        Assert.That(result.Data, Is.Empty);
        Assert.That(ExportTextPrompts(Namespace), Is.EqualTo(new[] { "already here", "spooled 0", "spooled 1", "spooled 2" }));
        Assert.That(File.Exists(spool), Is.True, "the spool file is the user's to delete");
    }

    [Test]
    public void Import_OfALongSpool_ShowsItsProgressOnAnErrorTerminal_AndErasesItBeforeTheSummary()
    {
        SampleDatabase.Create(_url, _ => { });
        var spool = SampleSpool.Write(_database, SampleSpool.TextRecords(Namespace, 25_000));
        var error = new StringWriter();
        var console = new ToolConsole(new StringWriter(), error, new MemoryStream()) { ErrorIsTerminal = true };

        var exit = PromptLogging.Tool.Program.Run(["import", spool, "-d", _url], console, interruption: null);

        Assert.That(exit, Is.Zero, error.ToString());
        Assert.That(error.ToString(), Is.EqualTo(
            Reading(spool) + "\n" +
            "\rimporting… 10,000 records\rimporting… 20,000 records\r\u001b[K" +
            $"Imported 25000 records from {spool} into {_database}\n"));
    }

    [Test]
    public void Import_WithStandardErrorRedirected_ShowsNoProgress()
    {
        SampleDatabase.Create(_url, _ => { });
        var spool = SampleSpool.Write(_database, SampleSpool.TextRecords(Namespace, 12_000));

        var result = PromptLoggerCommand.Run("import", spool, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Error.Contains("importing…", StringComparison.Ordinal), Is.False, result.Error);
        Assert.That(result.Error.Contains('\u001b', StringComparison.Ordinal), Is.False, "no escape sequence reaches a redirected standard error");
    }

    [Test]
    public void Import_StoresEachRecordUnderItsOwnNamespace_AndRegistersItsModels()
    {
        SampleDatabase.Create(_url, _ => { });
        var spool = SampleSpool.Write(_database,
        [
            SampleSpool.ChatRecord(Namespace, "gpt-4o", "What is the weather?", "Sunny."),
            .. SampleSpool.TextRecords("elsewhere", 2, model: "claude"),
        ]);

        var result = PromptLoggerCommand.Run("import", spool, "--database=" + _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var chat = Export("prompts", "-n", Namespace).Single();
        Assert.That((string?)chat["messages"]![1]!["content"], Is.EqualTo("What is the weather?"));
        Assert.That((string?)chat["completions"]![0]!["content"], Is.EqualTo("Sunny."));
        Assert.That(ExportTextPrompts("elsewhere"), Is.EqualTo(new[] { "spooled 0", "spooled 1" }));
        Assert.That(Export("models", "-n", Namespace).Select(m => (string?)m["name"]), Is.EqualTo(new[] { "gpt-4o" }));
        Assert.That(Export("models", "-n", "elsewhere").Select(m => (string?)m["name"]), Is.EqualTo(new[] { "claude" }));
    }

    [Test]
    public void ImportTwice_StoresEachRecordOnce_AndSaysSo()
    {
        SampleDatabase.Create(_url, _ => { });
        var spool = SampleSpool.Write(_database, SampleSpool.TextRecords(Namespace, 3));

        var first = PromptLoggerCommand.Run("import", spool, "-d", _url);
        var second = PromptLoggerCommand.Run("import", spool, "-d", _url);

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Error, Is.EqualTo($"{Reading(spool)}\nImported 0 records from {spool} into {_database}\n3 records were already in the database.\n"));
        Assert.That(ExportTextPrompts(Namespace), Is.EqualTo(new[] { "spooled 0", "spooled 1", "spooled 2" }));
        Assert.That(Count("SELECT COUNT(*) FROM models"), Is.EqualTo(1));
    }

    [Test]
    public void Import_ASpoolLargerThanABatch_StoresItAllAndARecordSpooledTwiceOnce()
    {
        SampleDatabase.Create(_url, _ => { });
        var records = SampleSpool.TextRecords(Namespace, 2_500);
        var spool = SampleSpool.Write(_database, records);
        new PromptLogging.Writing.Spool(_database).Append(records.Take(10).ToList());
        File.AppendAllLines(spool, [.. File.ReadLines(spool).Take(1)]);

        var result = PromptLoggerCommand.Run("import", spool, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ErrorLines, Is.EqualTo(new[]
        {
            Reading(spool),
            $"Imported 2500 records from {spool} into {_database}",
            "1 record was already in the database.",
        }));
        Assert.That(Count("SELECT COUNT(*) FROM prompts"), Is.EqualTo(2_500));
    }

    [Test]
    public void Import_WhatALoggerSpooledWhileTheDatabaseWasLocked_StoresIt()
    {
        var options = new PromptLoggerOptions { Namespace = Namespace, Database = _url, BusyTimeout = TimeSpan.FromMilliseconds(200) };
        string spool;
        using (var blocker = Open())
        {
            using (var logger = new PromptLogger(options))
            {
                logger.SaveInteraction("before the lock", "r");
                logger.Flush();
                using var transaction = blocker.BeginTransaction(deferred: false);
                logger.SaveInteraction("while locked 1", "r");
                logger.SaveInteraction("while locked 2", "r");
                logger.Flush();
                Assert.That(logger.Diagnostics.Spooled, Is.EqualTo(2));
                spool = Directory.GetFiles(_temp.Path, "prompts.db.spool-*.jsonl").Single();
                transaction.Rollback();
                // Crashed before it could replay: the spool file is left behind.
                File.Copy(spool, _temp.File("left-behind.jsonl"));
            }
        }

        var result = PromptLoggerCommand.Run("import", _temp.File("left-behind.jsonl"), "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(ExportTextPrompts(Namespace), Is.EqualTo(new[] { "before the lock", "while locked 1", "while locked 2" }));
    }

    [Test]
    public void GarbageLines_AreSkippedAndCounted()
    {
        SampleDatabase.Create(_url, _ => { });
        var records = SampleSpool.TextRecords(Namespace, 2);
        var spool = SampleSpool.Write(_database, records.Take(1).ToList());
        File.AppendAllText(spool, string.Join('\n',
            "not json",
            "{}",
            "",
            """{"id":"x"}""",
            """{"id":"","namespace":"ns","kind":"chat"}""",
            """{"id":"y","namespace":"ns","kind":"image"}""",
            "[1,2]",
            "null",
            "   ",
            """{"id":"z","namespace":"ns","kind":"text","input_tokens":"many"}""") + "\n");
        new PromptLogging.Writing.Spool(_database).Append(records.Skip(1).ToList());
        File.AppendAllText(spool, File.ReadAllText(Directory.GetFiles(_temp.Path, "prompts.db.spool-*.jsonl").Single(f => f != spool)));
        File.AppendAllText(spool, "{\"id\":\"cut short by a cra");

        var result = PromptLoggerCommand.Run("import", spool, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ErrorLines, Is.EqualTo(new[]
        {
            Reading(spool),
            $"Imported 2 records from {spool} into {_database}",
            "Skipped 9 lines that are not spool records (the first is line 2).",
        }));
        Assert.That(ExportTextPrompts(Namespace), Is.EqualTo(new[] { "spooled 0", "spooled 1" }));
    }

    [Test]
    public void SpoolLinesThatAreNotUtf8_AreSkippedAndCounted_NotStoredWithReplacementCharacters()
    {
        SampleDatabase.Create(_url, _ => { });
        var records = SampleSpool.TextRecords(Namespace, 2);
        var spool = SampleSpool.Write(_database, records.Take(1).ToList());
        // The same record under another id, its prompt "caf" and a Latin-1 é: a byte no UTF-8 text holds alone.
        var line = Encoding.UTF8.GetBytes(File.ReadAllLines(spool)[0].Replace(records[0].Id, "latin1", StringComparison.Ordinal).Replace("spooled 0", "caf#", StringComparison.Ordinal));
        line[Array.IndexOf(line, (byte)'#')] = 0xE9;
        File.AppendAllBytes(spool, [.. line, (byte)'\n']);

        var result = PromptLoggerCommand.Run("import", spool, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ErrorLines[1..], Is.EqualTo(new[]
        {
            $"Imported 1 record from {spool} into {_database}",
            "Skipped 1 line that is not a record (the first is line 2: not UTF-8).",
        }));
        Assert.That(ExportTextPrompts(Namespace), Is.EqualTo(new[] { "spooled 0" }));
    }

    [Test]
    public void ASpoolFileWithoutAValidRecord_SaysWhatItIs_ExitsOne_AndLeavesTheDatabaseAsItWas()
    {
        SampleDatabase.Create(_url, logger => logger.SaveInteraction("p", "r"));
        var stored = File.ReadAllBytes(_database);
        var spool = _temp.File("spool.jsonl");
        File.WriteAllText(spool, "{\"kind\":\"chat\"}\n{}\n");

        var result = PromptLoggerCommand.Run("import", spool, "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Is.EqualTo(new[]
        {
            Reading(spool),
            $"prompt-logger: error: no records to import from {spool}: it has 2 lines but no spool record (a spool file holds one JSON record a line, as a logger writes them).",
        }));
        Assert.That(File.ReadAllBytes(_database), Is.EqualTo(stored));
    }

    [TestCase("messages")]
    [TestCase("tools")]
    [TestCase("generation_kwargs")]
    [TestCase("completions")]
    [TestCase("tags")]
    public void ALineWhoseJsonColumnHidesASecondRecord_IsSkipped_AndEveryExportLineIsOneRecord(string column)
    {
        SampleDatabase.Create(_url, _ => { });
        var spool = HostileSpool.Write(_database, Namespace, column, HostileSpool.Values[column]);

        var result = PromptLoggerCommand.Run("import", spool, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        foreach (var type in new[] { "chat", "text" })
        {
            var export = PromptLoggerCommand.Run("export", "prompts", "-", "-d", _url, "-n", Namespace, "--type", type);
            Assert.That(export.ExitCode, Is.Zero, export.ToString());
            Assert.That(export.DataText, Does.Not.Contain(HostileSpool.InjectedId));
            Assert.That(Jsonl.Parse(export.Data), Has.Count.EqualTo(type == "text" ? 2 : 0), "one record, one line");
        }

        Assert.That(result.ErrorLines, Is.EqualTo(new[]
        {
            Reading(spool),
            $"Imported 2 records from {spool} into {_database}",
            "Skipped 1 line that is not spool records (the first is line 2).",
        }));
        Assert.That(Count("SELECT COUNT(*) FROM prompts"), Is.EqualTo(2));
    }

    [Test]
    public void JsonColumnsWithLineBreaksBetweenTheirTokens_AreStoredCompact_OneRecordOneLine()
    {
        SampleDatabase.Create(_url, _ => { });
        var spool = _temp.File("pretty.jsonl");
        File.WriteAllText(spool, HostileSpool.Line(Namespace, "messages", "[\n  {\"role\": \"user\",\n   \"content\": \"two\\nlines\"}\n]") + "\n");

        var result = PromptLoggerCommand.Run("import", spool, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var export = PromptLoggerCommand.Run("export", "prompts", "-", "-d", _url, "-n", Namespace);
        var line = Jsonl.Parse(export.Data).Single();
        Assert.That(line.GetProperty("messages").GetRawText(), Is.EqualTo("""[{"role":"user","content":"two\nlines"}]"""));
        Assert.That(Count("SELECT COUNT(*) FROM prompts WHERE instr(messages, char(10)) > 0"), Is.Zero, "stored without a raw line break");
    }

    [TestCase("", "no records to import from {0}: the file is empty.")]
    [TestCase("\n  \n", "no records to import from {0}: the file is empty.")]
    [TestCase("not a record\n", "{0} is none of what import reads: " + PromptLogging.Import.ImportSource.Expected + ".")]
    [TestCase("{}\n[]\n{\"id\":\"a\"", "{0} is none of what import reads: " + PromptLogging.Import.ImportSource.Expected + ".")]
    public void AFileWithoutRecords_ExitsOne_AndLeavesTheDatabaseAsItWas(string content, string error)
    {
        SampleDatabase.Create(_url, logger => logger.SaveInteraction("p", "r"));
        var stored = File.ReadAllBytes(_database);
        var spool = _temp.File("spool.jsonl");
        File.WriteAllText(spool, content);

        var result = PromptLoggerCommand.Run("import", spool, "-d", _url);

        AssertFailure(result, string.Format(System.Globalization.CultureInfo.InvariantCulture, error, spool));
        Assert.That(File.ReadAllBytes(_database), Is.EqualTo(stored));
    }

    [Test]
    public void ExportedJsonl_IsNotTakenForASpoolFile_ButReadAsTheSeedsFormat()
    {
        SampleDatabase.Create(_url, logger => logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "q", "a")));
        var exported = _temp.File("prompts.jsonl");
        Assert.That(PromptLoggerCommand.Run("export", "prompts", exported, "-d", _url).ExitCode, Is.Zero);

        var result = PromptLoggerCommand.Run("import", exported, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ErrorLines, Is.EqualTo(new[]
        {
            $"Reading {exported} as JSONL in the seed's export format",
            $"Imported 0 records from {exported} into {_database}",
            "1 record was already in the database.",
        }));
    }

    [Test]
    public void MissingSpoolFile_ExitsOne_AndCreatesNothing()
    {
        SampleDatabase.Create(_url, _ => { });
        var entries = Directory.GetFileSystemEntries(_temp.Path);

        var result = PromptLoggerCommand.Run("import", _temp.File("missing.jsonl"), "-d", _url);

        AssertFailure(result, $"file not found: {_temp.File("missing.jsonl")}");
        Assert.That(Directory.GetFileSystemEntries(_temp.Path), Is.EquivalentTo(entries));
    }

    [Test]
    public void SpoolFileThatIsAFolder_ExitsOne()
    {
        SampleDatabase.Create(_url, _ => { });
        Directory.CreateDirectory(_temp.File("folder.jsonl"));

        AssertFailure(PromptLoggerCommand.Run("import", _temp.File("folder.jsonl"), "-d", _url),
            $"SOURCE is a folder: {_temp.File("folder.jsonl")}");
    }

    [TestCase("prompts.db")]
    [TestCase("missing/prompts.db")]
    public void MissingDatabase_ExitsOne_AndCreatesNothing(string database)
    {
        var spool = SampleSpool.Write(_temp.File("elsewhere.db"), SampleSpool.TextRecords(Namespace, 2));
        var entries = Directory.GetFileSystemEntries(_temp.Path);

        var result = PromptLoggerCommand.Run("import", spool, "-d", _temp.DatabaseUrl(database));

        AssertFailure(result, $"database not found: {_temp.File(database)}");
        Assert.That(Directory.GetFileSystemEntries(_temp.Path), Is.EquivalentTo(entries));
        Assert.That(File.Exists(spool), Is.True);
    }

    [Test]
    public void DefaultDatabase_IsPromptsDbInTheWorkingFolder()
    {
        // Run as a child process so that the working folder is the temp folder without changing this process's.
        SampleDatabase.Create(_url, _ => { });
        var spool = SampleSpool.Write(_database, SampleSpool.TextRecords(PromptLoggerOptions.DefaultNamespace, 1));

        var result = PromptLoggerCommand.RunProcess(_temp.Path, "import", Path.GetFileName(spool));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Error, Is.EqualTo($"{Reading(Path.GetFileName(spool))}\nImported 1 record from {Path.GetFileName(spool)} into {_database}\n"));
        Assert.That(ExportTextPrompts(PromptLoggerOptions.DefaultNamespace), Is.EqualTo(new[] { "spooled 0" }));
    }

    [TestCase(new byte[0], TestName = "an empty file")]
    [TestCase(new byte[] { (byte)'h', (byte)'i', (byte)'\n' }, TestName = "a text file")]
    public void ADatabaseThatIsNotAPromptLoggerDatabase_ExitsOne_AndIsLeftAsItWas(byte[] content)
    {
        File.WriteAllBytes(_database, content);
        var spool = SampleSpool.Write(_database, SampleSpool.TextRecords(Namespace, 1));

        var result = PromptLoggerCommand.Run("import", spool, "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Is.EqualTo(new[] { Reading(spool), result.ErrorLines[^1] }));
        Assert.That(result.ErrorLines[^1], Does.StartWith("prompt-logger: error: ").And.Not.Contain("   at "));
        Assert.That(File.ReadAllBytes(_database), Is.EqualTo(content));
    }

    [TestCase("sqlite://x", "Unsupported database URL 'sqlite://x': a sqlite URL needs three slashes before the path;")]
    [TestCase("mysql://h/db", "Unsupported database URL 'mysql://h/db': the scheme 'mysql' is not supported;")]
    [TestCase("", "The database URL is empty;")]
    public void MalformedDatabaseUrl_ExitsOne(string url, string error)
    {
        var spool = SampleSpool.Write(_database, SampleSpool.TextRecords(Namespace, 1));

        var result = PromptLoggerCommand.Run("import", spool, "-d", url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.StartWith("prompt-logger: error: " + error));
    }

    [Test]
    public void ADatabaseLockedLongerThanTheBusyTimeout_ExitsOne_AndImportingAgainLaterFinishes()
    {
        SampleDatabase.Create(_url, _ => { });
        var spool = SampleSpool.Write(_database, SampleSpool.TextRecords(Namespace, 3));
        using (var blocker = Open())
        {
            using var transaction = blocker.BeginTransaction(deferred: false);

            var locked = PromptLoggerCommand.Run("import", spool, "-d", _url);

            Assert.That(locked.ExitCode, Is.EqualTo(1), locked.ToString());
            Assert.That(locked.ErrorLines[^1], Does.StartWith("prompt-logger: error: cannot write to the database: ").And.Contain("locked"));
            transaction.Rollback();
        }

        var result = PromptLoggerCommand.Run("import", spool, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(ExportTextPrompts(Namespace), Has.Count.EqualTo(3));
    }

    [Test]
    public void Delete_RemovesTheSpoolFileOnceEveryLineIsImported()
    {
        SampleDatabase.Create(_url, _ => { });
        var spool = SampleSpool.Write(_database, SampleSpool.TextRecords(Namespace, 2));

        var result = PromptLoggerCommand.Run("import", spool, "--delete", "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ErrorLines, Is.EqualTo(new[] { Reading(spool), $"Imported 2 records from {spool} into {_database}", $"Deleted {spool}" }));
        Assert.That(File.Exists(spool), Is.False);
        Assert.That(ExportTextPrompts(Namespace), Has.Count.EqualTo(2));
    }

    [Test]
    public void Delete_KeepsASpoolFileWithLinesThatCouldNotBeImported()
    {
        SampleDatabase.Create(_url, _ => { });
        var spool = SampleSpool.Write(_database, SampleSpool.TextRecords(Namespace, 2));
        File.AppendAllText(spool, "{\"id\":\"cut short");

        var result = PromptLoggerCommand.Run("import", spool, "--delete", "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ErrorLines[^1], Is.EqualTo($"Kept {spool}: 1 line of it could not be imported."));
        Assert.That(File.Exists(spool), Is.True);
    }

    [Test]
    public void Delete_KeepsTheSpoolFileWhenTheImportFails()
    {
        var spool = SampleSpool.Write(_database, SampleSpool.TextRecords(Namespace, 2));

        var result = PromptLoggerCommand.Run("import", spool, "--delete", "-d", _url);

        AssertFailure(result, $"database not found: {_database}");
        Assert.That(File.Exists(spool), Is.True);
    }

    private static string Reading(string spool) => $"Reading {spool} as a spool file (one PromptLogger record a line)";

    private static void AssertFailure(ToolResult result, string error)
    {
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Is.EqualTo($"prompt-logger: error: {error}\n"));
        Assert.That(result.Out, Is.Empty);
        Assert.That(result.Data, Is.Empty);
    }

    private List<System.Text.Json.Nodes.JsonObject> Export(string what, params string[] options)
    {
        var result = PromptLoggerCommand.Run(["export", what, "-", "-d", _url, .. options]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return ToolResult.ParseJsonl(result.DataText);
    }

    private List<string?> ExportTextPrompts(string @namespace) =>
        [.. Export("prompts", "--type", "text", "-n", @namespace).Select(p => (string?)p["prompt"])];

    private long Count(string sql)
    {
        using var connection = Open();
        return connection.ExecuteScalar<long>(sql);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_database};Pooling=False");
        connection.Open();
        return connection;
    }
}
