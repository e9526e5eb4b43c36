using PromptLogging.Export;
using PromptLogging.Tool.Verbs;

namespace PromptLogging.Tests.Tool.Verbs;

[TestFixture]
public sealed class ExportRequestTests
{
    [TestCase("models", null, nameof(ExportKind.Models))]
    [TestCase("prompts", null, nameof(ExportKind.ChatPrompts))]
    [TestCase("prompts", "chat", nameof(ExportKind.ChatPrompts))]
    [TestCase("prompts", "text", nameof(ExportKind.TextPrompts))]
    public void TryCreate_ReadsWhatToExportAndTheType(string what, string? type, string expected)
    {
        Assert.That(ExportRequest.TryCreate([], Options(what, type: type), out var request, out var problem), Is.True, problem);
        Assert.That(request!.Kind.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void TryCreate_ByDefault_ReadsTheDefaultNamespaceAndEveryModel()
    {
        Assert.That(ExportRequest.TryCreate([], Options("prompts"), out var request, out _), Is.True);
        Assert.That(request!.Filter, Is.EqualTo(ExportFilter.Create("default", null)));
        Assert.That(request.Filter.Models, Is.Null);
        Assert.That(request.Database, Is.EqualTo("sqlite:///prompts.db"));
    }

    [Test]
    public void TryCreate_ReadsTheConversationUserAndTags()
    {
        var options = Options("prompts");
        options.Conversation = "c-1";
        options.User = "u-1";

        Assert.That(ExportRequest.TryCreate(["--tag", "a", "--tag=b", "--tag", "a"], options, out var request, out var problem), Is.True, problem);
        Assert.That(request!.Filter, Is.EqualTo(ExportFilter.Create("default", null, "c-1", "u-1", ["a", "b"])));
    }

    [Test]
    public void RepeatedOption_CollectsEveryValueBeforeTheEndOfOptions()
    {
        string[] args = ["export", "prompts", "--tag", "a", "out.jsonl", "--tag=b c", "--tags", "x", "--", "--tag", "d"];

        Assert.That(RepeatedOption.Values(args, "tag"), Is.EqualTo(new[] { "a", "b c" }));
    }

    [Test]
    public void RepeatedModels_AreAllTaken_ShortLongAndCommaSeparated()
    {
        string[] args = ["export", "prompts", "-", "-m", "a", "--models", "b,c", "-md", "--models=e"];
        var options = Options("prompts", output: "-", models: "e");

        Assert.That(ExportRequest.TryCreate(args, options, out var request, out var problem), Is.True, problem);
        Assert.That(request!.Filter.Models, Is.EqualTo(new[] { "a", "b", "c", "d", "e" }));
    }

    [TestCase("all", null)]
    [TestCase("gpt-4.1", new[] { "gpt-4.1" })]
    [TestCase("gpt-4.1, claude ,gpt-4.1", new[] { "gpt-4.1", "claude" })]
    [TestCase("gpt-4.1,all", null)]
    public void TryCreate_SplitsModelsOnCommas(string models, string[]? expected)
    {
        Assert.That(ExportRequest.TryCreate([], Options("prompts", models: models), out var request, out _), Is.True);
        Assert.That(request!.Filter.Models, Is.EqualTo(expected));
    }

    [Test]
    public void ToStandardOutput_IsTrueForDashOnly()
    {
        ExportRequest.TryCreate([], Options("prompts", output: "-"), out var dash, out _);
        ExportRequest.TryCreate([], Options("prompts", output: "./-"), out var file, out _);

        Assert.That(dash!.ToStandardOutput, Is.True);
        Assert.That(file!.ToStandardOutput, Is.False);
    }

    [TestCase("model", null, "a", "ns")]
    [TestCase("models", "chat", "a", "ns")]
    [TestCase("prompts", "TEXT", "a", "ns")]
    [TestCase("prompts", null, ",a", "ns")]
    [TestCase("prompts", null, "a", "")]
    public void TryCreate_RejectsWhatTheParserCannotCheck(string what, string? type, string models, string @namespace)
    {
        Assert.That(ExportRequest.TryCreate([], Options(what, type: type, models: models, @namespace: @namespace), out var request, out var problem), Is.False);
        Assert.That(request, Is.Null);
        Assert.That(problem, Is.Not.Empty);
    }

    private static ExportOptions Options(string what, string output = "out.jsonl", string? type = null, string models = "all", string @namespace = "default") =>
        new() { What = what, Output = output, Type = type, Models = models, Namespace = @namespace };
}
