using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary><c>export --format</c> and <c>--dedupe</c> given wrongly: exit 2 with a one-line reason, nothing written.</summary>
[TestFixture]
public sealed class ExportFormatCommandTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("jsonl")]
    [TestCase("CSV")]
    [TestCase("openai")]
    [TestCase("")]
    public void AnUnknownFormat_ExitsTwoListingTheFormats(string format)
    {
        var result = PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "--format=" + format, "-d", _temp.DatabaseUrl());

        AssertUsageError(result, $"unknown --format '{format}'; the formats are: seed, openai-ft, openai-batch, csv.");
    }

    [Test]
    public void FormatWithoutAValue_ExitsTwo()
    {
        var result = PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "--format");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain("--format"));
    }

    [TestCase("seed")]
    [TestCase("openai-batch")]
    [TestCase("csv")]
    public void Dedupe_WithAnotherFormatThanFineTuning_ExitsTwo(string format)
    {
        AssertUsageError(
            PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "--format", format, "--dedupe", "-d", _temp.DatabaseUrl()),
            "--dedupe applies to --format openai-ft only.");
    }

    [Test]
    public void Models_InAnotherFormatThanSeed_ExitsTwo() =>
        AssertUsageError(
            PromptLoggerCommand.Run("export", "models", _temp.File("out.jsonl"), "--format", "csv", "-d", _temp.DatabaseUrl()),
            "--format csv applies to 'export prompts' only; models are exported in the seed format.");

    [TestCase("openai-ft")]
    [TestCase("openai-batch")]
    public void TextPrompts_AsChatFormats_ExitTwo(string format) =>
        AssertUsageError(
            PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "--type", "text", "--format", format, "-d", _temp.DatabaseUrl()),
            $"--format {format} writes chat prompts; text prompts export as seed or csv.");

    [Test]
    public void Help_ListsTheFormats()
    {
        var result = PromptLoggerCommand.Run("export", "--help");

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Out, Does.Contain("--format").And.Contain("openai-ft").And.Contain("openai-batch").And.Contain("csv").And.Contain("--dedupe"));
    }

    private void AssertUsageError(ToolResult result, string error)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), "one line, not the help screen");
        Assert.That(result.ErrorLines[0], Does.StartWith("prompt-logger: error: " + error + " (see prompt-logger ").And.EndWith(" --help)"));
        Assert.That(result.Data, Is.Empty);
        Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path), Is.Empty, "nothing written, no database created");
    }
}
