using PromptLogging.Tool.Verbs;

namespace PromptLogging.Tests.Tool.Verbs;

[TestFixture]
public sealed class MissingOptionValueTests
{
    [TestCase(new[] { "export", "prompts", "-", "-d" }, "option --database needs a value.")]
    [TestCase(new[] { "export", "prompts", "-", "--namespace" }, "option --namespace needs a value.")]
    [TestCase(new[] { "export", "prompts", "-", "-t", "--" }, "option --type needs a value.")]
    public void Find_ReportsAValueOptionGivenLast(string[] args, string expected)
    {
        Assert.That(MissingOptionValue.Find(args, typeof(ExportOptions)), Is.EqualTo(expected));
    }

    [TestCase]
    [TestCase("export", "prompts", "-")]
    [TestCase("export", "prompts", "-", "-d", "sqlite:///x.db")]
    [TestCase("export", "prompts", "-", "--database=sqlite:///x.db")]
    [TestCase("export", "prompts", "--", "-d")]
    [TestCase("export", "-n", "ns", "prompts", "-")]
    public void Find_AcceptsEveryOptionWithItsValue(params string[] args)
    {
        Assert.That(MissingOptionValue.Find(args, typeof(ExportOptions)), Is.Null);
    }
}
