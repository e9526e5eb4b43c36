using PromptLogging.Tool.Verbs;

namespace PromptLogging.Tests.Tool.Verbs;

public sealed class TerminalProgressTests
{
    [Test]
    public void Report_WithATotal_ShowsDoneOfTotalAndTheTimeLeft_ThenEndsWithoutAnEstimate()
    {
        using var error = new StringWriter();
        using (var progress = new TerminalProgress(error, "replaying", "prompts"))
        {
            progress.Report(1, 4);
            progress.Report(4, 4);
        }

        var updates = error.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(updates[0], Does.Match(@"^replaying… 1/4 prompts, about \d+ s left\u001b\[K$"));
            Assert.That(updates[1], Is.EqualTo("replaying… 4/4 prompts\u001b[K"));
            Assert.That(updates[2], Is.EqualTo("\u001b[K"), "erased at the end");
        });
    }
}
