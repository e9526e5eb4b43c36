using PromptLogging.Tool;

namespace PromptLogging.Tests.Tool;

[TestFixture]
public sealed class FailureMessageTests
{
    [Test]
    public void Describe_LeavesTheParameterNameOutOfArgumentErrors()
    {
        var message = FailureMessage.Describe(new ArgumentException("The database URL is empty.", "database"));

        Assert.That(message, Is.EqualTo("The database URL is empty."));
    }

    [Test]
    public void Describe_KeepsTheMessageOfAMissingFile()
    {
        Assert.That(FailureMessage.Describe(new FileNotFoundException("database not found: /x.db")), Is.EqualTo("database not found: /x.db"));
    }

    [Test]
    public void Describe_ReturnsNullForAFailureThatIsABug()
    {
        Assert.That(FailureMessage.Describe(new FormatException("unexpected")), Is.Null);
    }
}
