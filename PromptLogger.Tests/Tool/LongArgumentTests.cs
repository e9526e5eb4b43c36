using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary>
/// Very long arguments (100 KB values and paths) and very many (ten thousand): each ends with exit 1 or 2, one short
/// error line and nothing created, never an unhandled exception.
/// </summary>
[TestFixture]
public sealed class LongArgumentTests
{
    private static readonly string Huge = new('x', 100_000);

    // 500 folders of 200 characters: too long for any file system, yet a well-formed path.
    private static readonly string HugePath = "/" + string.Join('/', Enumerable.Repeat(new string('d', 200), 500)) + "/out.jsonl";

    private TempFolder _temp = null!;
    private string _url = null!;
    private string _spool = null!;
    private byte[] _stored = null!;
    private string[] _entries = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _url = _temp.DatabaseUrl("prompts.db");
        SampleDatabase.Create(_url, logger => logger.SaveInteraction("p", "r", "ns", "gpt-4.1"));
        _spool = SampleSpool.Write(_temp.File("prompts.db"), SampleSpool.TextRecords("ns", 2));
        _stored = File.ReadAllBytes(_temp.File("prompts.db"));
        _entries = Directory.GetFileSystemEntries(_temp.Path);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void ExportToAHugeOutputPath_ExitsOne()
    {
        AssertShortFailure(PromptLoggerCommand.Run("export", "prompts", HugePath, "-d", _url), 1);
    }

    [Test]
    public void ExportToAHugeFileName_ExitsOne()
    {
        AssertShortFailure(PromptLoggerCommand.Run("export", "prompts", _temp.File(Huge), "-d", _url), 1);
    }

    [TestCase("sqlite:///", TestName = "ExportFromAHugeDatabaseUrl_ExitsOne(sqlite)")]
    [TestCase("", TestName = "ExportFromAHugeDatabaseUrl_ExitsOne(no scheme)")]
    public void ExportFromAHugeDatabaseUrl_ExitsOne(string prefix)
    {
        var result = PromptLoggerCommand.Run("export", "prompts", "-", "-d", prefix + Huge);

        AssertShortFailure(result, 1);
    }

    [Test]
    public void ExportFromADatabaseUrlWithAHugePath_ExitsOneWithDatabaseNotFound()
    {
        var result = PromptLoggerCommand.Run("export", "prompts", "-", "--database=sqlite:///" + HugePath);

        AssertShortFailure(result, 1);
        Assert.That(result.Error, Does.StartWith("prompt-logger: error: database not found: /ddd").And.Contain("characters left out"));
    }

    [TestCase("--type")]
    [TestCase("--models")]
    public void ExportWithAHugeOptionValue_IsAUsageErrorOrAnEmptyExport(string option)
    {
        var result = PromptLoggerCommand.Run("export", "prompts", "-", option, Huge + "," + Huge, "-d", _url);

        if (option == "--type")
        {
            AssertShortFailure(result, 2);
        }
        else
        {
            // A model nobody used: a valid filter that matches nothing.
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.ErrorLines[0], Is.EqualTo("Exported 0 prompts to standard output"));
            Assert.That(result.ErrorLines[1], Does.StartWith("prompt-logger: warning: nothing matched").And.Length.LessThan(1_100));
        }
    }

    [Test]
    public void ExportWithAHugeNamespace_ExportsNothing()
    {
        var result = PromptLoggerCommand.Run("export", "models", "-", "-n", Huge, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.ErrorLines[0], Is.EqualTo("Exported 0 models to standard output"));
        Assert.That(result.ErrorLines[1], Does.StartWith("prompt-logger: warning: nothing matched in namespace 'xxx").And.Contain("characters left out"));
    }

    [Test]
    public void ImportOfAHugeSpoolPath_ExitsOneWithSpoolFileNotFound()
    {
        var result = PromptLoggerCommand.Run("import", HugePath, "-d", _url);

        AssertShortFailure(result, 1);
        Assert.That(result.Error, Does.StartWith("prompt-logger: error: file not found: /ddd"));
    }

    [Test]
    public void ImportOfAHugeSpoolFileName_ExitsOne()
    {
        AssertShortFailure(PromptLoggerCommand.Run("import", _temp.File(Huge), "-d", _url), 1);
    }

    [TestCase("sqlite:///")]
    [TestCase("")]
    [TestCase("sqlite:////tmp/")]
    public void ImportIntoAHugeDatabaseUrl_ExitsOne(string prefix)
    {
        AssertShortFailure(PromptLoggerCommand.Run("import", _spool, "-d", prefix + Huge), 1);
        Assert.That(File.Exists(_spool), Is.True);
    }

    [TestCase("--" )]
    [TestCase("-")]
    public void AHugeUnknownOption_ExitsTwo(string dashes)
    {
        AssertShortFailure(PromptLoggerCommand.Run("import", _spool, dashes + Huge), 2);
        AssertShortFailure(PromptLoggerCommand.Run("export", "prompts", "-", dashes + Huge), 2);
    }

    [Test]
    public void AHugeVerb_ExitsTwo()
    {
        AssertShortFailure(PromptLoggerCommand.Run(Huge, "prompts", "-"), 2);
    }

    [Test]
    public void TenThousandArguments_AreAUsageError()
    {
        var many = Enumerable.Range(0, 10_000).Select(i => "arg" + i).ToArray();

        AssertShortFailure(PromptLoggerCommand.Run(["export", "prompts", "out.jsonl", .. many]), 2);
        AssertShortFailure(PromptLoggerCommand.Run(["import", _spool, .. many]), 2);
        AssertShortFailure(PromptLoggerCommand.Run(many), 2);
    }

    [Test]
    public void TenThousandRepeatedOptions_TakeTheLast()
    {
        var options = Enumerable.Range(0, 5_000).SelectMany(i => new[] { "-d", "sqlite:///missing-" + i + ".db" });

        var result = PromptLoggerCommand.Run(["import", _spool, .. options, "-d", _url]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ErrorLines[1], Does.StartWith("Imported 2 records from "));
    }

    [Test]
    public void TenThousandHugeArguments_ExitTwoInBoundedTime()
    {
        // A gigabyte of command line is not possible on any OS; 10,000 × 10 KB (100 MB of text) stands for the worst.
        var big = new string('y', 10_000);
        var elapsed = System.Diagnostics.Stopwatch.StartNew();

        var result = PromptLoggerCommand.Run(["import", _spool, .. Enumerable.Repeat(big, 10_000)]);

        AssertShortFailure(result, 2);
        Assert.That(elapsed.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
    }

    private void AssertShortFailure(ToolResult result, int exitCode)
    {
        var shown = result.ToString();
        Assert.That(result.ExitCode, Is.EqualTo(exitCode), shown.Length > 2_000 ? shown[..2_000] : shown);
        Assert.That(result.ErrorLines[0], Does.StartWith("prompt-logger: error: "));
        Assert.That(result.ErrorLines[0], Has.Length.LessThan(1_100), "one short line, however long the argument");
        Assert.That(result.Error, Does.Not.Contain("   at ").And.Not.Match(@"error: unexpected \w+:"));
        Assert.That(result.Out, Is.Empty);
        Assert.That(result.Data, Is.Empty);
        Assert.That(exitCode == 1 || result.ErrorLines is [var line] && line.EndsWith("--help)", StringComparison.Ordinal), Is.True,
            "a usage error is one line pointing at the help");
        Assert.That(Directory.GetFileSystemEntries(_temp.Path), Is.EquivalentTo(_entries), "nothing created");
        Assert.That(File.ReadAllBytes(_temp.File("prompts.db")), Is.EqualTo(_stored), "the database is unchanged");
    }
}
