using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;
using PromptLogging.Tests.Tool;

namespace PromptLogging.Tests.Web;

/// <summary>
/// The comparison as a page: the file <c>compare --html</c> writes, opened from disk in headless Chromium with the
/// network blocked, and serve's <c>/compare</c> and <c>/api/compare</c> over the same store. Two runs of the same three
/// prompts, answered differently by the tests' server per model, are paired by their messages.
/// </summary>
public sealed class CompareHtmlTests
{
    private const string Sunny = "The weather is sunny today.";
    private const string Rainy = "The weather is rainy today.";
    private const string Hostile = "<script>document.title='x'</script> <img src=x onerror=alert(1)> rainy \u202Etoday.";

    private TestStore _store = null!;
    private OpenAICompatibleServer _server = null!;
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _store = TestStore.Create(StoreKind.Sqlite);
        _server = OpenAICompatibleServer.Start();
        _temp = new TempFolder();
        _server.ReplyContentByModel[ReplayCommandTests.ModelA] = Sunny;
        _server.ReplyContentByModel[ReplayCommandTests.ModelB] = Rainy;
        ReplayCommandTests.Record(_store.Url, _server, 3, "run-a", ReplayCommandTests.ModelA);
    }

    [TearDown]
    public void TearDown()
    {
        _temp?.Dispose();
        _server?.Dispose();
        _store?.Dispose();
    }

    [Test]
    public async Task CompareHtml_OpenedFromDiskWithTheNetworkBlocked_ShowsTheTotalsAndExactlyTheChangedWords()
    {
        ReplayCommandTests.Record(_store.Url, _server, 3, "run-b", ReplayCommandTests.ModelB);
        var output = _temp.File("compare.html");

        var result = PromptLoggerCommand.Run("compare", "run-a", "run-b", "-d", _store.Url, "--html", output);
        var json = PromptLoggerCommand.Run("compare", "run-a", "run-b", "-d", _store.Url, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Error, Does.Contain("Wrote a comparison of 3 pairs to " + output));
        var totals = JsonNode.Parse(json.DataText)!["totals"]!;
        await using var browser = await Browser.LaunchAsync();
        var (page, problems, requests) = await ReportBrowserTests.OpenBlockedAsync(browser, output);

        Assert.That(await page.TitleAsync(), Is.EqualTo("PromptLogger comparison"));
        Assert.That(await TotalCells(page, "pairs"), Is.EqualTo(new[] { "3", "3" }));
        Assert.That(await TotalCells(page, "output-tokens"), Is.EqualTo(new[] { Count(totals["a"]!["output_tokens"]!), Count(totals["b"]!["output_tokens"]!) }));
        Assert.That(await TotalCells(page, "finish-reasons"), Is.EqualTo(new[] { "stop=3", "stop=3" }));
        Assert.That(await TotalCells(page, "identical"), Is.EqualTo(new[] { "0 of 3" }));
        Assert.That(await page.Locator("li.pair.different").CountAsync(), Is.EqualTo(3));
        Assert.That(await page.Locator(".diff del").AllInnerTextsAsync(), Is.EqualTo(new[] { "sunny", "sunny", "sunny" }), "exactly the removed word");
        Assert.That(await page.Locator(".diff ins").AllInnerTextsAsync(), Is.EqualTo(new[] { "rainy", "rainy", "rainy" }), "exactly the added word");
        Assert.That(await page.Locator(".diff").First.InnerTextAsync(), Is.EqualTo("The weather is sunnyrainy today."));
        Assert.That(await page.Locator("a").CountAsync(), Is.Zero, "a file links nowhere");
        var deleted = await page.EvalOnSelectorAsync<string>(".diff del", "e => getComputedStyle(e).textDecorationLine");
        Assert.That(deleted, Is.EqualTo("line-through"), "the inlined compare.css applies");
        Assert.That(problems.Seen, Is.Empty);
        Assert.That(requests, Is.EqualTo(new[] { new Uri(output).AbsoluteUri }), "the file is the only thing the page loads");

        if (Environment.GetEnvironmentVariable("PROMPTLOGGER_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "compare.png"), FullPage = true });
        }
    }

    [Test]
    public async Task CompareHtml_OfHostileReplies_ToStandardOutput_ShowsThemAsInertText()
    {
        _server.ReplyContentByModel[ReplayCommandTests.ModelB] = Hostile;
        ReplayCommandTests.Record(_store.Url, _server, 3, "run-b", ReplayCommandTests.ModelB);

        var result = PromptLoggerCommand.Run("compare", "run-a", "run-b", "-d", _store.Url, "--html", "-");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.DataText, Does.StartWith("<!DOCTYPE html>"));
        Assert.That(result.DataText, Does.Not.Contain("<script").And.Not.Contain("<img"));
        var output = _temp.File("hostile.html");
        await File.WriteAllTextAsync(output, result.DataText);
        await using var browser = await Browser.LaunchAsync();
        var (page, problems, _) = await ReportBrowserTests.OpenBlockedAsync(browser, output);
        await page.WaitForTimeoutAsync(200);

        Assert.That(await page.TitleAsync(), Is.EqualTo("PromptLogger comparison"));
        Assert.That(await page.Locator("script").CountAsync(), Is.Zero);
        Assert.That(await page.Locator("img").CountAsync(), Is.Zero);
        var added = await page.Locator(".diff").First.Locator("ins").AllInnerTextsAsync();
        // Each added word is its text (the spaces between them are common to both replies, outside ins).
        Assert.That(added, Does.Contain("<script>document.title='x'</script>").Or.Contain("<script>document.title='x'</script> <img"));
        Assert.That(string.Concat(added), Does.Contain("<img").And.Contain("onerror=alert(1)>"));
        Assert.That(await page.Locator(".diff").First.InnerTextAsync(), Does.Contain("\\u{202E}today."), "a bidirectional override is shown, not obeyed");
        Assert.That(problems.Seen, Is.Empty, "no dialog, no error");
    }

    [Test]
    public void CompareHtml_OfNamespacesWithNoPairs_ExitsOneSayingWhy_AndWritesNothing()
    {
        var output = _temp.File("none.html");

        var result = PromptLoggerCommand.Run("compare", "run-a", "nobody", "-d", _store.Url, "--html", output);
        var both = PromptLoggerCommand.Run("compare", "run-a", "run-b", "-d", _store.Url, "--html", output, "--json");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.Error, Is.EqualTo("prompt-logger: error: nothing to compare: namespace 'nobody' holds no chat records.\n"));
            Assert.That(File.Exists(output), Is.False);
            Assert.That(both.ExitCode, Is.EqualTo(2));
            Assert.That(both.Error, Does.Contain("--json and --html contradict each other"));
        });
    }

    [Test]
    public async Task ServeComparePage_ShowsTheSameTotals_LinksTheRecords_AndTheApiEqualsCompareJson()
    {
        ReplayCommandTests.Record(_store.Url, _server, 3, "run-b", ReplayCommandTests.ModelB);
        var output = _temp.File("compare.html");
        var file = PromptLoggerCommand.Run("compare", "run-a", "run-b", "-d", _store.Url, "--html", output, "--since", "1d");
        var json = PromptLoggerCommand.Run("compare", "run-a", "run-b", "-d", _store.Url, "--json", "--since", "1d");
        Assert.That(file.ExitCode, Is.Zero, file.ToString());
        await using var served = await ServedStore.StartAsync(_store);
        await using var browser = await Browser.LaunchAsync();

        var (fromDisk, _, _) = await ReportBrowserTests.OpenBlockedAsync(browser, output);
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync(served.Url("/"));
        await page.ClickAsync("header.top nav a[href='/compare']");
        await page.WaitForURLAsync("**/compare");
        Assert.That(await page.Locator("#choose").CountAsync(), Is.EqualTo(1), "no namespaces chosen: the page says what to do");
        await page.SelectOptionAsync("select[name=a]", "run-a");
        await page.SelectOptionAsync("select[name=b]", "run-b");
        await page.FillAsync("input[name=since]", "1d");
        await page.ClickAsync("form.compare-form button[type=submit]");
        await page.WaitForURLAsync("**/compare?a=run-a&b=run-b&**");

        Assert.That(await page.TitleAsync(), Is.EqualTo("Compare · PromptLogger"));
        Assert.That(await page.Locator("#compare-totals").InnerTextAsync(), Is.EqualTo(await fromDisk.Locator("#compare-totals").InnerTextAsync()), "the same totals as the file");
        Assert.That(await page.Locator(".diff del").AllInnerTextsAsync(), Is.EqualTo(new[] { "sunny", "sunny", "sunny" }));
        var firstId = (string)JsonNode.Parse(json.DataText)!["pairs"]![0]!["a"]!["id"]!;
        await page.Locator(".pair-figures td.id a").First.ClickAsync();
        await page.WaitForURLAsync("**/records/**");
        Assert.That(page.Url, Does.EndWith("/records/" + Uri.EscapeDataString(firstId)));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.That(problems.Seen, Is.Empty);

        var api = await served.Http.GetAsync(new Uri("/api/compare?a=run-a&b=run-b&since=1d", UriKind.Relative));
        Assert.That((int)api.StatusCode, Is.EqualTo(200));
        Assert.That(api.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(await api.Content.ReadAsStringAsync()), JsonNode.Parse(json.DataText)), Is.True, "/api/compare is compare --json");
        Assert.That(served.Failures, Is.Empty);
    }

    [Test]
    public async Task ServeComparePage_OfNamespacesWithNoPairs_SaysWhy()
    {
        await using var served = await ServedStore.StartAsync(_store);
        await using var browser = await Browser.LaunchAsync();
        var (page, problems) = await browser.NewPageAsync();

        var response = await page.GotoAsync(served.Url("/compare?a=run-a&b=nobody"));
        var api = await served.Http.GetAsync(new Uri("/api/compare?a=run-a&b=nobody", UriKind.Relative));
        var bad = await served.Http.GetAsync(new Uri("/api/compare?a=run-a&b=run-a", UriKind.Relative));

        Assert.That(response!.Status, Is.EqualTo(200));
        Assert.That(await page.InnerTextAsync("#problem"), Is.EqualTo("nothing to compare: namespace 'nobody' holds no chat records."));
        Assert.That(await page.Locator("#compare-totals").CountAsync(), Is.Zero);
        Assert.That(problems.Seen, Is.Empty);
        Assert.That((int)api.StatusCode, Is.EqualTo(404));
        Assert.That((string?)JsonNode.Parse(await api.Content.ReadAsStringAsync())!["error"], Is.EqualTo("nothing to compare: namespace 'nobody' holds no chat records."));
        Assert.That((int)bad.StatusCode, Is.EqualTo(400));
        Assert.That(served.Failures, Is.Empty);
    }

    private static async Task<IReadOnlyList<string>> TotalCells(IPage page, string total) =>
        await page.Locator($"#compare-totals tr[data-total={total}] td").AllInnerTextsAsync();

    private static string Count(JsonNode value) => ((long)value).ToString("N0", CultureInfo.InvariantCulture);
}
