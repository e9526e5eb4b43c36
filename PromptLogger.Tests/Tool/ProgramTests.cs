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
        Assert.That(result.Out, Does.StartWith("prompt-logger 0.1.0").And.Contain("export").And.Contain("Exit status"));
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
    [TestCase(new[] { "import", "prompts", "-" }, "Verb 'import' is not recognized.")]
    [TestCase(new[] { "Export", "prompts", "-" }, "Verb 'Export' is not recognized.")]
    public void UnknownOrMissingVerb_ExitsTwoWithTheVerbsOnStandardError(string[] args, string error)
    {
        var result = PromptLoggerCommand.Run(args);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.ErrorLines[0], Is.EqualTo("prompt-logger: error: " + error));
        Assert.That(result.Error, Does.Contain("export").And.Contain("Exit status"));
        Assert.That(result.Out, Is.Empty);
        Assert.That(result.Data, Is.Empty);
    }

    [TestCase("--output", "Option 'output' is unknown.")]
    [TestCase("-x", "Option 'x' is unknown.")]
    [TestCase("--Namespace=a", "Option 'Namespace' is unknown.")]
    public void UnknownOption_ExitsTwoWithTheHelpOnStandardError(string option, string error)
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
        var database = _temp.DatabaseUrl("prompts.db");
        SampleDatabase.Create(database, logger =>
        {
            logger.SaveInteraction("p", "r", "ns", "gpt-4.1");
            logger.Record(SampleDatabase.ChatCall("ns", "gpt-4o", "q", "a"));
        });
        string[] whats = ["models", "models", "prompts", "prompts", "prompts", "everything", "Models", ""];
        string[] outputs = ["-", "-", "-", "out.jsonl", "out.jsonl", "sub/out.jsonl", "missing/out.jsonl", "prompts.db", ".", "", "--", "ü😀.jsonl"];
        (string[] Names, string[] Values)[] options =
        [
            (["--type", "-t"], ["chat", "text", "text", "text", "json", ""]),
            (["--namespace", "-n"], ["ns", "ns", "default", "x'); DROP TABLE prompts;--", " ", "-"]),
            (["--models", "-m"], ["all", "gpt-4.1", "gpt-4.1,gpt-4o", "x'); DROP TABLE prompts;--", ",", "a,,b"]),
            (["--database", "-d"],
                [database, database, database, "sqlite:///prompts.db", "sqlite://x", "postgres://h/db", "sqlite:///missing/prompts.db", "sqlite:///sub", ""]),
        ];
        string[] junk =
        [
            "export", "models", "prompts", "help", "version", "import", "", "-", "--", "---", "--type=text", "--namespace=ns",
            "--models=", "--database=" + database, "--help", "--version", "-h", "-v", "--bogus", "-x", "-nns", "-ttext", "=",
            "\0", "ü😀", "--namespace=", "-d=", "--=", "--type=", "export prompts", "out.jsonl",
        ];
        var stored = File.ReadAllBytes(_temp.File("prompts.db"));
        Directory.CreateDirectory(_temp.File("sub"));
        var random = new Random(20250411);
        T Pick<T>(T[] from) => from[random.Next(from.Length)];
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(_temp.Path); // relative outputs and the default database land in the temp folder
        try
        {
            for (var run = 0; run < 400; run++)
            {
                // Three lines in four start like a real export, so that the runs reach past the parser.
                var args = random.Next(4) == 0 ? [] : new List<string> { "export", Pick(whats), Pick(outputs) };
                for (var extra = random.Next(0, 5); extra > 0; extra--)
                {
                    var (names, values) = Pick(options);
                    args.AddRange(random.Next(6) == 0 ? [Pick(junk)] : [Pick(names), Pick(values)]);
                }

                ToolResult result = null!;
                Assert.DoesNotThrow(() => result = PromptLoggerCommand.Run([.. args]), Describe(args));
                Assert.That(result.ExitCode, Is.AnyOf(0, 1, 2), Describe(args));
                if (result.ExitCode != 0)
                {
                    Assert.That(result.Error, Does.StartWith("prompt-logger: error: "), Describe(args));
                    Assert.That(result.Error, Does.Not.Contain("   at "), Describe(args));
                }
                else if (result.Out.Length == 0)
                {
                    Assert.That(result.Error, Does.Match(@"^Exported \d+ \w+ to .+\n$"), Describe(args));
                }
            }
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }

        Assert.That(File.ReadAllBytes(_temp.File("prompts.db")), Is.EqualTo(stored), "the tool never writes to a database");
        Assert.That(File.Exists(_temp.File("missing/prompts.db")), Is.False, "the tool never creates a database");
        Assert.That(Directory.Exists(_temp.File("missing")), Is.False);
        Assert.That(Directory.GetFiles(_temp.Path, "*.tmp", SearchOption.AllDirectories), Is.Empty);
    }

    private static string Describe(IEnumerable<string> args) => "args: [" + string.Join(", ", args.Select(a => $"\"{a}\"")) + "]";

    private void AssertUsageError(ToolResult result, string error)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines[0], Is.EqualTo("prompt-logger: error: " + error));
        Assert.That(result.Error, Does.Contain("USAGE:").And.Contain("--database"), "the help follows the error");
        Assert.That(result.Out, Is.Empty);
        Assert.That(result.Data, Is.Empty);
        Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path), Is.Empty);
    }
}
