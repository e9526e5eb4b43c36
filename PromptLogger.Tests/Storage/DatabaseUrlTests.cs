using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Storage;

public sealed class DatabaseUrlTests
{
    [Test]
    public void Parse_OfARelativeUrl_ResolvesAgainstTheWorkingFolder()
    {
        var url = DatabaseUrl.Parse("sqlite:///data/my_prompts.db");

        Assert.That(url.FilePath, Is.EqualTo(Path.Combine(Environment.CurrentDirectory, "data", "my_prompts.db")));
    }

    [Test]
    public void Parse_OfAnAbsoluteUrl_KeepsTheAbsolutePath()
    {
        var url = DatabaseUrl.Parse("sqlite:////tmp/some/prompts.db");

        Assert.That(url.FilePath, Is.EqualTo("/tmp/some/prompts.db"));
    }

    [TestCase("", "empty")]
    [TestCase("   ", "empty")]
    [TestCase("prompts.db", "no scheme")]
    [TestCase("sqlite://prompts.db", "three slashes")]
    [TestCase("sqlite:/prompts.db", "no scheme")]
    [TestCase("mysql://user@host/db", "'mysql' is not supported")]
    [TestCase("sqlite:///", "names no file")]
    [TestCase("sqlite:///prompts.db?mode=ro", "query parameters")]
    [TestCase("sqlite:///bad\0name.db", "cannot be in a path")]
    public void Parse_OfABadUrl_ThrowsArgumentExceptionNamingTheUrlAndTheAcceptedForms(string text, string why)
    {
        var exception = Assert.Throws<ArgumentException>(() => DatabaseUrl.Parse(text));

        Assert.That(exception!.Message, Does.Contain(why));
        Assert.That(exception.Message, Does.Contain("sqlite:///relative/path.db").And.Contain("sqlite:////absolute/path.db"));
        if (!string.IsNullOrWhiteSpace(text))
        {
            Assert.That(exception.Message, Does.Contain(text.Replace("\0", "\0", StringComparison.Ordinal)));
        }
    }

    [Test]
    public void Parse_OfAUrlNamingAFolder_ThrowsArgumentException()
    {
        using var temp = new TempFolder();

        var exception = Assert.Throws<ArgumentException>(() => DatabaseUrl.Parse("sqlite:///" + temp.Path));

        Assert.That(exception!.Message, Does.Contain("names a folder"));
    }

    [Test]
    public void PromptLogger_WithAMalformedUrl_ThrowsArgumentExceptionAndCreatesNothing()
    {
        using var temp = new TempFolder();
        var before = Directory.GetFileSystemEntries(temp.Path);

        Assert.That(() => new PromptLogger("ns", "postgres-ish:" + temp.File("x.db")), Throws.ArgumentException.With.Message.Contain("accepted forms"));
        Assert.That(Directory.GetFileSystemEntries(temp.Path), Is.EqualTo(before));
    }
}
