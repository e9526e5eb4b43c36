using PromptLogging.Tool.Compare;

namespace PromptLogging.Tests.Tool.Compare;

public sealed class WordDiffTests
{
    [Test]
    public void Compute_MarksExactlyTheChangedWords()
    {
        var diff = WordDiff.Compute("The weather is sunny today.", "The weather is rainy today.");

        Assert.That(diff, Is.EqualTo(new[]
        {
            new DiffSegment(DiffKind.Same, "The weather is "),
            new DiffSegment(DiffKind.Removed, "sunny"),
            new DiffSegment(DiffKind.Added, "rainy"),
            new DiffSegment(DiffKind.Same, " today."),
        }));
    }

    [TestCase("", "")]
    [TestCase("same words", "same words")]
    [TestCase("", "only added")]
    [TestCase("only removed", "")]
    [TestCase("Ship it, then test it!", "Test it, then ship it (maybe)?")]
    [TestCase("line one\nline two", "line one\r\nline 2\n")]
    public void Compute_ReadInOrder_GivesBackBothReplies(string first, string second)
    {
        var diff = WordDiff.Compute(first, second);

        Assert.Multiple(() =>
        {
            Assert.That(string.Concat(diff.Where(s => s.Kind != DiffKind.Added).Select(s => s.Text)), Is.EqualTo(first));
            Assert.That(string.Concat(diff.Where(s => s.Kind != DiffKind.Removed).Select(s => s.Text)), Is.EqualTo(second));
            Assert.That(diff.Any(s => s.Kind != DiffKind.Same), Is.EqualTo(first != second));
        });
    }
}
