using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary>The command line as a whole, in-process: help, version, usage errors and their exit statuses.</summary>
[TestFixture]
[NonParallelizable] // The fuzz test changes the working folder of the process.
public sealed class ProgramTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("--help")]
    [TestCase("help")]
    public void Help_ExitsZeroAndListsTheVerbsOnStandardOutput(string help)
    {
        var result = PromptLoggerCommand.Run(help);

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Out, Does.StartWith("prompt-logger 0.1.0").And.Contain("export").And.Contain("import").And.Contain("Exit status"));
        Assert.That(result.Error, Is.Empty);
    }

    [TestCase("export", "--help")]
    [TestCase("help", "export")]
    [TestCase("export", "prompts", "out.jsonl", "--help")]
    public void HelpForExport_ExitsZeroAndDescribesItsOptionsOnStandardOutput(params string[] args)
    {
        var result = PromptLoggerCommand.Run(args);

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Out, Does.Contain("--namespace").And.Contain("--database").And.Contain("--models").And.Contain("--type")
            .And.Contain("OUTPUT").And.Contain("prompt-logger export"));
        Assert.That(result.Error, Is.Empty);
        Assert.That(File.Exists("out.jsonl"), Is.False);
    }

    [TestCase("export", "-h")]
    [TestCase("list", "-h")]
    [TestCase("show", "-h")]
    [TestCase("namespaces", "-h")]
    [TestCase("models", "-h")]
    [TestCase("import", "-h")]
    public void DashH_OnAnyVerb_ShowsThatVerbsHelp(string verb, string dashH)
    {
        var result = PromptLoggerCommand.Run(verb, dashH);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Out, Does.Contain("EXAMPLES:").And.Contain($"prompt-logger {verb}").And.Contain("--database"));
        Assert.That(result.Error, Is.Empty);
    }

    [TestCase("export")]
    [TestCase("list")]
    [TestCase("import")]
    public void HelpExamples_AreNeverWrappedInTheMiddleOfACommand(string verb)
    {
        var result = PromptLoggerCommand.Run(verb, "--help");

        var lines = result.Out.Split('\n');
        var examples = lines.SkipWhile(l => l != "EXAMPLES:").Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        var commands = examples.Where(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.That(commands, Is.Not.Empty);
        Assert.That(commands, Has.All.StartWith("prompt-logger " + verb));
        Assert.That(examples.Where(l => !l.StartsWith("    ", StringComparison.Ordinal)), Has.All.EndWith(":"), "every other line is an example's title");
    }

    [Test]
    public void DashH_AfterTheEndOfOptions_IsAValue()
    {
        var result = PromptLoggerCommand.Run("export", "prompts", "--", "-h", "-d", "sqlite:///" + _temp.File("missing.db"));

        Assert.That(result.Out, Does.Not.Contain("EXAMPLES:"));
    }

    [TestCase("import", "--help")]
    [TestCase("help", "import")]
    [TestCase("import", "spool.jsonl", "--help")]
    public void HelpForImport_ExitsZeroAndDescribesItsOptionsOnStandardOutput(params string[] args)
    {
        var result = PromptLoggerCommand.Run(args);

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Out, Does.Contain("SOURCE").And.Contain("--database").And.Contain("--delete")
            .And.Contain("prompt-logger import").And.Contain("--namespace"));
        Assert.That(result.Error, Is.Empty);
    }

    [TestCase("--version")]
    [TestCase("version")]
    [TestCase("export", "--version")]
    public void Version_ExitsZeroAndPrintsTheVersionOnStandardOutput(params string[] args)
    {
        var result = PromptLoggerCommand.Run(args);

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Out, Is.EqualTo("prompt-logger 0.1.0\n"));
        Assert.That(result.Error, Is.Empty);
    }

    [TestCase(new string[0], "No verb selected.", Description = "no arguments")]
    [TestCase(new[] { "imports", "prompts.db.spool-1.jsonl" }, "Verb 'imports' is not recognized.")]
    [TestCase(new[] { "Export", "prompts", "-" }, "Verb 'Export' is not recognized.")]
    public void UnknownOrMissingVerb_ExitsTwoWithOneLinePointingAtTheHelp(string[] args, string error)
    {
        var result = PromptLoggerCommand.Run(args);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.ErrorLines, Is.EqualTo(new[] { "prompt-logger: error: " + error + " (see prompt-logger --help)" }));
        Assert.That(result.Out, Is.Empty);
        Assert.That(result.Data, Is.Empty);
    }

    [TestCase("--output", "Option 'output' is unknown.")]
    [TestCase("-x", "Option 'x' is unknown.")]
    [TestCase("--Namespace=a", "Option 'Namespace' is unknown.")]
    public void UnknownOption_ExitsTwoWithOneLinePointingAtTheHelp(string option, string error)
    {
        var result = PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), option);

        AssertUsageError(result, error);
    }

    [TestCase("export")]
    [TestCase("export", "prompts")]
    [TestCase("export", "models", "--namespace", "ns")]
    public void MissingArguments_ExitTwoAndNameTheUsage(params string[] args)
    {
        var result = PromptLoggerCommand.Run(args);

        AssertUsageError(result, "export needs what to export and where: export models|prompts OUTPUT (OUTPUT - for standard output).");
    }

    [TestCase("everything", "cannot export 'everything': choose models or prompts, as in 'export prompts OUTPUT'.")]
    [TestCase("Prompts", "cannot export 'Prompts': choose models or prompts, as in 'export prompts OUTPUT'.")]
    [TestCase("prompt", "cannot export 'prompt': choose models or prompts, as in 'export prompts OUTPUT'.")]
    public void UnknownWhatToExport_ExitsTwo(string what, string error)
    {
        AssertUsageError(PromptLoggerCommand.Run("export", what, _temp.File("out.jsonl")), error);
    }

    [TestCase("json")]
    [TestCase("Chat")]
    [TestCase("0")]
    [TestCase("")]
    public void BadType_ExitsTwo(string type)
    {
        AssertUsageError(PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "--type", type), $"--type must be chat or text, not '{type}'.");
    }

    [Test]
    public void TypeWithModels_ExitsTwo()
    {
        AssertUsageError(PromptLoggerCommand.Run("export", "models", _temp.File("out.jsonl"), "--type", "text"),
            "--type applies to 'export prompts' only; models have no type.");
    }

    [TestCase("")]
    [TestCase(",")]
    [TestCase(" , ")]
    [TestCase("gpt-4.1,,claude")]
    [TestCase("gpt-4.1,")]
    public void EmptyModels_ExitsTwo(string models)
    {
        AssertUsageError(PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "--models", models),
            $"--models '{models}' names an empty model; give model names separated by commas, or all.");
    }

    [Test]
    public void EmptyModelsWithEqualsSign_ExitsTwo()
    {
        AssertUsageError(PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "--models="),
            "--models '' names an empty model; give model names separated by commas, or all.");
    }

    [TestCase("")]
    [TestCase("  ")]
    public void EmptyNamespace_ExitsTwo(string @namespace)
    {
        AssertUsageError(PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "-n", @namespace),
            "--namespace is empty; give a namespace such as default.");
    }

    [Test]
    public void EmptyOutput_ExitsTwo()
    {
        AssertUsageError(PromptLoggerCommand.Run("export", "prompts", ""), "OUTPUT is empty; give a file path, or - for standard output.");
    }

    [TestCase("-d", "database")]
    [TestCase("--database", "database")]
    [TestCase("-n", "namespace")]
    [TestCase("-m", "models")]
    [TestCase("--type", "type")]
    public void OptionWithoutItsValue_ExitsTwoRatherThanUsingTheDefault(string option, string name)
    {
        AssertUsageError(PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), option), $"option --{name} needs a value.");
    }

    [Test]
    public void ExtraArgument_ExitsTwo()
    {
        AssertUsageError(PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "surplus"),
            "unexpected argument 'surplus'; export takes two: models|prompts and OUTPUT.");
    }

    [Test]
    public void ImportWithoutASpoolFile_ExitsTwoAndNamesTheUsage()
    {
        AssertUsageError(PromptLoggerCommand.Run("import"), "import needs a file to read: import SOURCE.");
    }

    [TestCase(new[] { "import", "" }, "SOURCE is empty; give the path of a spool file, a JSONL file or a database.")]
    [TestCase(new[] { "import", " " }, "SOURCE is empty; give the path of a spool file, a JSONL file or a database.")]
    [TestCase(new[] { "import", "a\0b" }, "SOURCE contains characters that cannot be in a path.")]
    [TestCase(new[] { "import", "a.jsonl", "b.jsonl" }, "unexpected argument 'b.jsonl'; import takes one: SOURCE.")]
    [TestCase(new[] { "import", "a.jsonl", "-n", " " }, "--namespace is empty; give a namespace.")]
    [TestCase(new[] { "import", "a.jsonl", "-n" }, "option --namespace needs a value.")]
    [TestCase(new[] { "import", "a.jsonl", "-d" }, "option --database needs a value.")]
    [TestCase(new[] { "import", "a.jsonl", "--database" }, "option --database needs a value.")]
    [TestCase(new[] { "import", "a.jsonl", "--type", "text" }, "Option 'type' is unknown.")]
    public void BadImportCommandLines_ExitTwo(string[] args, string error)
    {
        AssertUsageError(PromptLoggerCommand.Run([.. args.Select(a => a.Replace("\\0", "\0", StringComparison.Ordinal))]), error);
    }

    [Test]
    public void UsageErrors_ComeBeforeLookingForTheDatabase()
    {
        var database = _temp.File("prompts.db");

        var result = PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "--type", "xml", "-d", "sqlite:///" + database);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Not.Contain("database not found"));
        Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path), Is.Empty);
    }

    [Test]
    public void RandomCommandLines_AlwaysEndWithAnExitStatusAndNeverThrow()
    {
        // export.db is read by export only: its bytes must never change. prompts.db (the default database) may also
        // take imports, so it may only gain the records of spool.jsonl.
        var exportDatabase = _temp.DatabaseUrl("export.db");
        SampleDatabase.Create(exportDatabase, logger =>
        {
            logger.SaveInteraction("p", "r", "ns", "gpt-4.1");
            logger.Record(SampleDatabase.ChatCall("ns", "gpt-4o", "q", "a"));
        });
        var database = _temp.DatabaseUrl("prompts.db");
        SampleDatabase.Create(database, logger => logger.SaveInteraction("p", "r", "ns", "gpt-4.1"));
        var spooled = SampleSpool.TextRecords("ns", 3);
        File.Move(SampleSpool.Write(_temp.File("prompts.db"), spooled), _temp.File("spool.jsonl"));
        File.WriteAllText(_temp.File("garbage.jsonl"), "not a record\n{}\n");
        File.WriteAllText(_temp.File("empty.jsonl"), "");
        var idsBefore = PromptIds("prompts.db");
        var huge = new string('x', 100_000);
        var hugePath = string.Join('/', Enumerable.Repeat(new string('d', 200), 500));

        string[] whats = ["models", "models", "prompts", "prompts", "prompts", "everything", "Models", "", huge];
        // Neither database is an OUTPUT: exporting from one into the other would replace it (refusing the database
        // itself as OUTPUT is tested on its own).
        string[] outputs = ["-", "-", "-", "out.jsonl", "out.jsonl", "sub/out.jsonl", "missing/out.jsonl", ".", "", "--", "ü😀.jsonl", huge, hugePath];
        string[] spools = ["spool.jsonl", "spool.jsonl", "garbage.jsonl", "empty.jsonl", "missing.jsonl", "sub", "export.db", "", "-", "--", "ü😀.jsonl", huge, hugePath];
        string[] databases = [database, database, "sqlite:///prompts.db", "sqlite://x", "postgres://h/db", "sqlite:///missing/prompts.db", "sqlite:///sub", "",
            "sqlite:///" + huge, "sqlite:///" + hugePath, huge];
        (string[] Names, string[] Values)[] exportOptions =
        [
            (["--type", "-t"], ["chat", "text", "text", "text", "json", "", huge]),
            (["--namespace", "-n"], ["ns", "ns", "default", "x'); DROP TABLE prompts;--", " ", "-", huge]),
            (["--models", "-m"], ["all", "gpt-4.1", "gpt-4.1,gpt-4o", "x'); DROP TABLE prompts;--", ",", "a,,b", huge]),
            (["--database", "-d"], [exportDatabase, exportDatabase, exportDatabase, .. databases]),
        ];
        (string[] Names, string[] Values)[] importOptions =
        [
            (["--database", "-d"], databases),
            (["--delete"], [""]),
        ];
        string[] junk =
        [
            "export", "import", "models", "prompts", "help", "version", "", "-", "--", "---", "--type=text", "--namespace=ns",
            "--models=", "--database=" + database, "--delete", "--delete=yes", "--help", "--version", "-h", "-v", "--bogus", "-x",
            "-nns", "-ttext", "=", "\0", "ü😀", "--namespace=", "-d=", "--=", "--type=", "export prompts", "out.jsonl",
            "spool.jsonl", huge, "--" + huge, "-d" + huge,
        ];
        var stored = File.ReadAllBytes(_temp.File("export.db"));
        Directory.CreateDirectory(_temp.File("sub"));
        var random = new Random(20250411);
        T Pick<T>(T[] from) => from[random.Next(from.Length)];
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var exitCodes = new int[3];
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(_temp.Path); // relative outputs and the default database land in the temp folder
        try
        {
            for (var run = 0; run < 3_000; run++)
            {
                // Most lines start like a real export or import, so that the runs reach past the parser.
                var verb = random.Next(8);
                var export = verb < 4;
                var args = verb switch
                {
                    0 => [],
                    < 4 => new List<string> { "export", Pick(whats), Pick(outputs) },
                    _ => ["import", Pick(spools)],
                };
                for (var extra = random.Next(0, 5); extra > 0; extra--)
                {
                    var (names, values) = Pick(export ? exportOptions : importOptions);
                    var name = Pick(names);
                    args.AddRange(random.Next(6) == 0 ? [Pick(junk)] : name == "--delete" ? [name] : [name, Pick(values)]);
                }

                if (random.Next(100) == 0)
                {
                    // Ten thousand arguments: a script gone wrong, or a glob that matched far too much.
                    args.AddRange(Enumerable.Range(0, 10_000 - args.Count).Select(i => random.Next(3) == 0 ? Pick(junk) : "x" + i));
                }

                if (!File.Exists(_temp.File("spool.jsonl")))
                {
                    File.Move(SampleSpool.Write(_temp.File("prompts.db"), spooled), _temp.File("spool.jsonl")); // taken by --delete
                }

                ToolResult result = null!;
                Func<string> described = () => Describe(args);
                Assert.DoesNotThrow(() => result = PromptLoggerCommand.Run([.. args]), described());
                Assert.That(result.ExitCode, Is.AnyOf(0, 1, 2), described);
                exitCodes[result.ExitCode]++;
                if (result.ExitCode != 0)
                {
                    // import says what its source is before it reads it; anything else failing says only why.
                    Assert.That(result.Error, Does.Match(@"^(Reading .+ as .+\n)?prompt-logger: error: "), described);
                    Assert.That(result.Error, Does.Not.Contain("   at ").And.Not.Match(@"error: unexpected \w+:"), described);
                    Assert.That(result.ErrorLines[0], Has.Length.LessThan(1_100), described);
                }
                else if (result.Out.Length == 0)
                {
                    Assert.That(result.Error, Does.Match(@"^(Exported \d+ \w+ to .+|Reading .+ as .+\nImported \d+ records?( and \d+ models?)? from .+ into .+)\n"), described);
                }
            }
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }

        TestContext.Out.WriteLine($"3,000 command lines in {elapsed.Elapsed.TotalSeconds:F1} s; exit 0: {exitCodes[0]}, 1: {exitCodes[1]}, 2: {exitCodes[2]}");
        Assert.That(exitCodes, Has.All.GreaterThan(100), "the runs reach every outcome");
        Assert.That(elapsed.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "bounded time");
        Assert.That(File.ReadAllBytes(_temp.File("export.db")), Is.EqualTo(stored), "export never writes to a database");
        // Besides the spool, a file that export wrote is JSONL that import reads: its records may come along too.
        var importable = idsBefore.Concat(spooled.Select(r => r.Id)).Concat(PromptIds("export.db")).ToList();
        Assert.That(PromptIds("prompts.db"), Is.SupersetOf(idsBefore.Concat(spooled.Select(r => r.Id))).And.SubsetOf(importable).And.Unique,
            "import adds the spool's records, and those of exported lines, once");
        Assert.That(File.Exists(_temp.File("missing/prompts.db")), Is.False, "the tool never creates a database");
        Assert.That(Directory.Exists(_temp.File("missing")), Is.False);
        Assert.That(Directory.GetFiles(_temp.Path, "*.tmp", SearchOption.AllDirectories), Is.Empty);
        Assert.That(File.Exists(_temp.File("garbage.jsonl")) && File.Exists(_temp.File("empty.jsonl")), Is.True, "--delete keeps what was not imported");
    }

    private List<string> PromptIds(string database)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_temp.File(database)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return [.. Dapper.SqlMapper.Query<string>(connection, "SELECT id FROM prompts")];
    }

    private static string Describe(IEnumerable<string> args)
    {
        // A 100 KB argument would make the failure message unreadable.
        var text = "args: [" + string.Join(", ", args.Take(50).Select(a => a.Length > 80 ? $"\"{a[..40]}…({a.Length} chars)\"" : $"\"{a}\"")) + "]";
        return text.Length > 2_000 ? text[..2_000] + "…" : text;
    }

    private void AssertUsageError(ToolResult result, string error)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), "one line, not the help screen");
        Assert.That(result.ErrorLines[0], Does.StartWith("prompt-logger: error: " + error + " (see prompt-logger ").And.EndWith(" --help)"));
        Assert.That(result.Out, Is.Empty);
        Assert.That(result.Data, Is.Empty);
        Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path), Is.Empty);
    }
}
