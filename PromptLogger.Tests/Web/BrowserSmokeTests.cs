using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Web;

public sealed class BrowserSmokeTests
{
    [Test]
    public async Task Chromium_RendersAPage_AndSeesItsErrors()
    {
        await using var browser = await Browser.LaunchAsync();
        var (page, problems) = await browser.NewPageAsync();
        await page.SetContentAsync("<title>t</title><p id=p>hello</p><script>console.error('boom')</script>");
        Assert.That(await page.InnerTextAsync("#p"), Is.EqualTo("hello"));
        Assert.That(problems.Seen, Has.One.Contains("boom"));
    }
}
