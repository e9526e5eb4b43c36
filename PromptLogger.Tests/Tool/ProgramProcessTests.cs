using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary>The built <c>prompt-logger.dll</c> run by <c>dotnet</c> as a child process: real streams, real exit codes.</summary>
[TestFixture]
public sealed class ProgramProcessTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void ExportToDash_WritesJsonlToStandardOutputAndTheSummaryToStandardError()
    {
        var url = _temp.DatabaseUrl("my_prompts.db");
        SampleDatabase.Create(url, logger =>
        {
            logger.SaveInteraction("What is the weather?", "It's sunny!", "my-namespace", "gpt-4.1");
            logger.SaveInteraction("Ünïcödé 😀", "ok", "my-namespace");
        });

        var result = PromptLoggerCommand.RunProcess(_temp.Path, "export", "prompts", "-", "--type=text", "--namespace=my-namespace", "--database=" + url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var prompts = ToolResult.ParseJsonl(result.Out);
        Assert.That(prompts.Select(p => (string?)p["prompt"]), Is.EqualTo(new[] { "What is the weather?", "Ünïcödé 😀" }));
        Assert.That(result.Error, Is.EqualTo("Exported 2 prompts to standard output\n"));
    }

    [Test]
    public void ExportToDash_WhenStandardOutputIsAppendedToTheDatabase_IsRefusedAndTheDatabaseIsUnchanged()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Standard output is read through /dev/stdout on Linux.");
        }

        var database = _temp.File("prompts.db");
        SampleDatabase.Create(_temp.DatabaseUrl(), logger => logger.SaveInteraction("keep me", "ok"));
        var before = File.ReadAllBytes(database);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var dll = Path.Combine(AppContext.BaseDirectory, "prompt-logger.dll");

        // The typo of an operator who meant '>> prompts.jsonl'.
        var (code, output) = SmallDisk.Run("sh", "-c", "cd \"$1\" && exec \"$2\" \"$3\" export prompts - --type=text >> prompts.db", "sh", _temp.Path, dotnet, dll);

        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("Standard output is the database file itself"));
        Assert.That(File.ReadAllBytes(database), Is.EqualTo(before), "nothing was appended to the database");
    }

    [Test]
    public void ExportToDevStdout_WritesThroughThePipeAndLeavesDevStdoutAlone()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("/dev/stdout as a link to /proc/self/fd/1 is checked on Linux.");
        }

        SampleDatabase.Create(_temp.DatabaseUrl(), logger => logger.SaveInteraction("to stdout", "ok"));
        var linkBefore = new FileInfo("/dev/stdout").LinkTarget;

        var result = PromptLoggerCommand.RunProcess(_temp.Path, "export", "prompts", "/dev/stdout", "--type=text");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(ToolResult.ParseJsonl(result.Out).Select(p => (string?)p["prompt"]), Is.EqualTo(new[] { "to stdout" }));
        Assert.That(result.Error, Is.EqualTo("Exported 1 prompt to /dev/stdout\n"));
        Assert.That(new FileInfo("/dev/stdout").LinkTarget, Is.EqualTo(linkBefore), "/dev/stdout is still the same link");
        Assert.That(Directory.GetFiles("/dev", "*.tmp"), Is.Empty);
    }

    [Test]
    public void ExportWithDefaults_ReadsPromptsDbInTheWorkingFolderUnderTheDefaultNamespace()
    {
        SampleDatabase.Create(_temp.DatabaseUrl("prompts.db"), logger =>
        {
            logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "hello", "hi"));
            logger.Record(SampleDatabase.ChatCall("other", "gpt-4.1", "not this one", "no"));
        });

        var result = PromptLoggerCommand.RunProcess(_temp.Path, "export", "prompts", "prompts.jsonl");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Out, Is.Empty);
        Assert.That(result.Error, Is.EqualTo("Exported 1 prompt to prompts.jsonl\n"));
        var prompt = ToolResult.ParseJsonl(File.ReadAllText(_temp.File("prompts.jsonl"))).Single();
        Assert.That((string?)prompt["namespace"], Is.EqualTo("default"));
    }

    [Test]
    public void MissingDatabase_ExitsOneWithOneLineAndCreatesNothing()
    {
        var result = PromptLoggerCommand.RunProcess(_temp.Path, "export", "models", "-");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Out, Is.Empty);
        Assert.That(result.Error, Is.EqualTo($"prompt-logger: error: database not found: {_temp.File("prompts.db")}\n"));
        Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path), Is.Empty);
    }

    [Test]
    public void UnknownOption_ExitsTwoWithOneLineOnStandardErrorOnly()
    {
        var result = PromptLoggerCommand.RunProcess(_temp.Path, "export", "prompts", "-", "--fromat", "csv");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Out, Is.Empty);
        Assert.That(result.Error, Is.EqualTo("prompt-logger: error: Option 'fromat' is unknown. (see prompt-logger export --help)\n"));
    }

    [Test]
    public void Version_ExitsZero()
    {
        var result = PromptLoggerCommand.RunProcess(_temp.Path, "--version");

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Out, Is.EqualTo("prompt-logger 0.1.0\n"));
    }
}
