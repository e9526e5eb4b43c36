using Microsoft.Playwright;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Web;

/// <summary>
/// serve's pages in headless Chromium over a SQLite database filled through the library: every page loads with no
/// console error, failed request or dialog and shows what was stored; filters, search and pages change the view and
/// their URL reloads it; a record stored by another process appears live; hostile text stays text.
/// </summary>
public sealed class ServePagesTests
{
    private TestStore _store = null!;
    private ServedStore _served = null!;
    private Browser _browser = null!;

    [OneTimeSetUp]
    public async Task StoreServeAndBrowse()
    {
        _browser = await Browser.LaunchAsync();
        _store = TestStore.Create(StoreKind.Sqlite);
        await WebUiData.StoreCallsAsync(_store.Url);
        WebUiData.StoreBulk(_store.Url);
        _served = await ServedStore.StartAsync(_store);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_served is not null)
        {
            await _served.DisposeAsync();
        }

        _store?.Dispose();
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }

    [Test]
    public async Task RecordsPage_ShowsTheNewestRecords_WithNoProblem()
    {
        var (page, problems) = await _browser.NewPageAsync();

        var response = await page.GotoAsync(_served.Url("/records?namespace=bulk"));

        Assert.That(response!.Status, Is.EqualTo(200));
        Assert.That(await page.TitleAsync(), Is.EqualTo("Records · PromptLogger"));
        Assert.That(await page.Locator("#records tbody tr").CountAsync(), Is.EqualTo(50));
        Assert.That(await page.InnerTextAsync("#shown-count"), Is.EqualTo("50"));
        Assert.That(await page.Locator("#records tbody tr .question").AllInnerTextsAsync(), Is.EqualTo(WebUiData.BulkQuestionsNewestFirst().Take(50)));
        Assert.That(await page.Locator("#records tbody tr.failed").CountAsync(), Is.EqualTo(5), "records 119 … 70: 5 failed");
        Assert.That(await page.InnerTextAsync("#records tbody tr:first-child"), Does.Contain("2026-01-10 13:59:00").And.Contain("gpt-4.1-mini"));
        await Settle(page);
        Assert.That(problems.Seen, Is.Empty);
        Assert.That(_served.Failures, Is.Empty);
    }

    [Test]
    public async Task Filters_Search_AndPages_ChangeTheView_AndTheUrlReloadsIt()
    {
        var (page, problems) = await _browser.NewPageAsync();
        await page.GotoAsync(_served.Url("/records"));

        // The form: namespace bulk, failed calls only.
        await page.SelectOptionAsync("select[name=namespace]", "bulk");
        await page.SelectOptionAsync("select[name=errors]", "only");
        await page.ClickAsync("form.filters button[type=submit]");
        await page.WaitForURLAsync("**/records?namespace=bulk&errors=only");
        var failed = await page.Locator("#records tbody tr .question").AllInnerTextsAsync();
        Assert.That(failed, Has.Count.EqualTo(WebUiData.BulkErrors));
        Assert.That(failed, Has.All.Match("bulk question [0-9]*9$"));

        // The same URL in a fresh page: the same view, the form filled in.
        var bookmarked = page.Url;
        var (again, againProblems) = await _browser.NewPageAsync();
        await again.GotoAsync(bookmarked);
        Assert.That(await again.Locator("#records tbody tr .question").AllInnerTextsAsync(), Is.EqualTo(failed));
        Assert.That(await again.InputValueAsync("select[name=errors]"), Is.EqualTo("only"));

        // Pages: 120 records, 50 a page; the third page's URL reloads the third page.
        await page.GotoAsync(_served.Url("/records?namespace=bulk"));
        var seen = new List<string>();
        seen.AddRange(await page.Locator("#records tbody tr .question").AllInnerTextsAsync());
        await page.ClickAsync("#older");
        seen.AddRange(await page.Locator("#records tbody tr .question").AllInnerTextsAsync());
        await page.ClickAsync("#older");
        var third = await page.Locator("#records tbody tr .question").AllInnerTextsAsync();
        seen.AddRange(third);
        Assert.That(seen, Is.EqualTo(WebUiData.BulkQuestionsNewestFirst()));
        Assert.That(await page.Locator("#older").CountAsync(), Is.Zero, "the last page links to no older one");
        await again.GotoAsync(page.Url);
        Assert.That(await again.Locator("#records tbody tr .question").AllInnerTextsAsync(), Is.EqualTo(third));

        // Search: what the index holds (the search verb indexes; serve only reads).
        Assert.That(PromptLoggerCommand.Run("search", "rain", "--all-namespaces", "-d", _store.Url).ExitCode, Is.Zero);
        await page.GotoAsync(_served.Url("/records"));
        await page.FillAsync("input[name=q]", "rain");
        await page.ClickAsync("form.filters button[type=submit]");
        await page.WaitForURLAsync("**q=rain**");
        Assert.That(await page.Locator("#matches tbody tr").CountAsync(), Is.EqualTo(1));
        Assert.That(await page.InnerTextAsync("#matches mark"), Is.EqualTo("rain"));
        Assert.That(await page.Locator("#not-indexed").CountAsync(), Is.Zero, "the index is up to date");

        await Settle(page);
        Assert.That(problems.Seen, Is.Empty);
        Assert.That(againProblems.Seen, Is.Empty);
        Assert.That(_served.Failures, Is.Empty);
    }

    [Test]
    public async Task ABadFilter_IsSaidOnThePage()
    {
        var (page, _) = await _browser.NewPageAsync();

        var response = await page.GotoAsync(_served.Url("/records?since=yesterday"));

        Assert.That(response!.Status, Is.EqualTo(400));
        Assert.That(await page.InnerTextAsync("#problem"), Does.StartWith("since 'yesterday' is not a time"));
        Assert.That(await page.InputValueAsync("input[name=since]"), Is.EqualTo("yesterday"), "the form keeps what was typed");
    }

    [Test]
    public async Task ARecordStoredByAnotherProcess_AppearsWithoutAReload()
    {
        var (page, problems) = await _browser.NewPageAsync();
        await page.GotoAsync(_served.Url("/records?namespace=from-host&type=text"));
        Assert.That(await page.Locator("#records tbody tr").CountAsync(), Is.Zero);
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        var host = ChildProcess.Run(ChildProcess.SiblingDll("PromptLogger.TestHost", "PromptLogger.TestHost"), TimeSpan.FromSeconds(60), _store.Url, "from-host", "3", "--dispose");
        Assert.That(host.ExitCode, Is.Zero, host.Stderr);

        await Assertions.Expect(page.Locator("#records tbody tr")).ToHaveCountAsync(3, new() { Timeout = 20_000 });
        Assert.That(await page.Locator("#records tbody tr .question").AllInnerTextsAsync(), Has.All.StartWith("prompt "));
        Assert.That(await page.InnerTextAsync("#shown-count"), Is.EqualTo("3"));
        Assert.That(await page.Locator("#empty").CountAsync(), Is.Zero);
        Assert.That(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), Is.True, "the same page, not a reload");
        await page.ClickAsync("#records tbody tr:first-child td.time a");
        await page.WaitForURLAsync("**/records/*");
        Assert.That(await page.InnerTextAsync("#prompt"), Does.StartWith("prompt "));
        await Settle(page);
        Assert.That(problems.Seen, Is.Empty);
    }

    [Test]
    public async Task AfterAnImportedRecordWithAHighId_ARecordStoredByAnotherProcess_StillAppearsWithoutAReload()
    {
        // A store of its own: the imported record (the Python package's UUID4 ids sort above ours) is the newest id.
        using var store = TestStore.Create(StoreKind.Sqlite);
        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "imported") with { Id = Browsing.RecordFollowerTests.HighImportedId });
        await using var served = await ServedStore.StartAsync(store);
        var (page, problems) = await _browser.NewPageAsync();
        await page.GotoAsync(served.Url("/records?namespace=from-host&type=text"));
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        var host = ChildProcess.Run(ChildProcess.SiblingDll("PromptLogger.TestHost", "PromptLogger.TestHost"), TimeSpan.FromSeconds(60), store.Url, "from-host", "2", "--dispose");
        Assert.That(host.ExitCode, Is.Zero, host.Stderr);

        await Assertions.Expect(page.Locator("#records tbody tr")).ToHaveCountAsync(2, new() { Timeout = 20_000 });
        Assert.That(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), Is.True, "the same page, not a reload");
        await Settle(page);
        Assert.That(problems.Seen, Is.Empty);
        Assert.That(served.Failures, Is.Empty);
    }

    [Test]
    public async Task RecordPage_RendersTheChatByRole_TheToolCall_AndTheContext()
    {
        var (page, problems) = await _browser.NewPageAsync();
        await page.GotoAsync(_served.Url("/records?conversation=trip-42"));
        // The first call of the conversation is the oldest: the last row.
        await page.ClickAsync("#records tbody tr:last-child td.time a");
        await page.WaitForURLAsync("**/records/*");

        Assert.That(await page.Locator("#chat article.message .role").AllInnerTextsAsync(), Is.EqualTo(new[] { "SYSTEM", "USER" }));
        Assert.That(await page.InnerTextAsync("#chat article.role-user .text"), Is.EqualTo("What is the weather in Paris?"));
        Assert.That(await page.InnerTextAsync("#reply .tool-call .tool-name"), Is.EqualTo("get_weather"));
        Assert.That(await page.InnerTextAsync("#reply .tool-call .arguments"), Does.Contain("\"city\": \"Paris\""));
        Assert.That(await page.InnerTextAsync("#reply .finish"), Is.EqualTo("finish: tool_calls"));
        Assert.That(await page.InnerTextAsync("#tools .tool summary"), Does.Contain("get_weather").And.Contain("The weather in a city"));
        var fields = await page.InnerTextAsync("dl.fields");
        Assert.That(fields, Does.Contain("gpt-4.1").And.Contain("traveller-7").And.Contain("12 in, 7 out").And.Contain("trip-42").And.Contain("weather"));
        Assert.That(await page.InnerTextAsync("#metadata"), Does.Contain("\"experiment\": \"v2\""));

        // "Copy as JSONL" copies the record's export line.
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.ClickAsync("#copy-jsonl");
        await Assertions.Expect(page.Locator("#copy-jsonl")).ToHaveTextAsync("Copied");
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        var line = System.Text.Json.Nodes.JsonNode.Parse(copied)!;
        Assert.That(copied, Does.Not.Contain("\n"));
        Assert.That((string?)line["id"], Is.EqualTo(await page.InnerTextAsync("#record-id")));
        Assert.That((string?)line["conversation_id"], Is.EqualTo("trip-42"));
        await Settle(page);
        Assert.That(problems.Seen, Is.Empty);
    }

    [Test]
    public async Task ConversationPage_ShowsTheCallsInOrder_AsOneThread()
    {
        var (page, problems) = await _browser.NewPageAsync();
        await page.GotoAsync(_served.Url("/records?conversation=trip-42"));
        await page.ClickAsync("#records tbody tr:first-child td.time a");
        await page.ClickAsync("#conversation-link");
        await page.WaitForURLAsync("**/conversations/trip-42?namespace=travel");

        Assert.That(await page.InnerTextAsync("#call-count"), Is.EqualTo("3"));
        var calls = page.Locator("#thread section.call");
        Assert.That(await calls.CountAsync(), Is.EqualTo(3));
        // Each call shows what it added, then its reply: the thread reads as the conversation went.
        Assert.That(await page.Locator("#thread article.message .role").AllInnerTextsAsync(),
            Is.EqualTo(new[] { "SYSTEM", "USER", "ASSISTANT", "TOOL", "ASSISTANT", "USER", "ASSISTANT" }));
        Assert.That(await calls.Nth(0).Locator(".tool-name").InnerTextAsync(), Is.EqualTo("get_weather"));
        Assert.That(await calls.Nth(1).Locator("article.role-tool .text").InnerTextAsync(), Is.EqualTo("18°C and sunny"));
        Assert.That(await calls.Nth(1).Locator("article.role-tool .answers").InnerTextAsync(), Is.EqualTo("answers call_paris"));
        Assert.That(await calls.Nth(2).Locator("article.role-user .text").InnerTextAsync(), Is.EqualTo("And tomorrow?"));
        Assert.That(await calls.Nth(2).Locator("article.role-assistant .text").InnerTextAsync(), Is.EqualTo("Tomorrow brings light rain."));
        await Settle(page);
        Assert.That(problems.Seen, Is.Empty);
    }

    [Test]
    public async Task HostileText_StaysInertText_OnEveryPage()
    {
        var (page, problems) = await _browser.NewPageAsync();
        await page.GotoAsync(_served.Url("/records?namespace=travel"));
        var titles = new List<string> { await page.TitleAsync() };
        Assert.That(await page.InnerTextAsync("#records"), Does.Contain(WebUiData.ScriptPayload).And.Contain(WebUiData.ImagePayload));

        await page.ClickAsync("#records tbody tr:first-child td.time a");
        await page.WaitForURLAsync("**/records/*");
        titles.Add(await page.TitleAsync());
        Assert.That(await page.InnerTextAsync("#chat article.role-user .text"), Is.EqualTo(WebUiData.ScriptPayload + " " + WebUiData.ImagePayload));
        Assert.That(await page.InnerTextAsync("#reply .text"), Is.EqualTo(WebUiData.LinkPayload + " " + WebUiData.ScriptPayload));
        Assert.That(await page.InnerTextAsync("dd.tags"), Is.EqualTo(WebUiData.ImagePayload));

        await page.ClickAsync("#conversation-link");
        await page.WaitForURLAsync("**/conversation?id=*");
        titles.Add(await page.TitleAsync());
        Assert.That(await page.InnerTextAsync("#conversation-id"), Is.EqualTo("<script>alert(2)</script>"));

        await page.GotoAsync(_served.Url("/records?namespace=travel"));
        // Nothing stored became markup: no element, handler or javascript: link of the payloads' making.
        foreach (var url in new[] { "/records?namespace=travel", page.Url })
        {
            await page.GotoAsync(url.StartsWith('/') ? _served.Url(url) : url);
            Assert.That(await page.Locator("main script, main img, main [onerror]").CountAsync(), Is.Zero);
            Assert.That(await page.Locator("a[href^='javascript:' i]").CountAsync(), Is.Zero);
        }

        Assert.That(titles, Has.None.EqualTo("x"));
        Assert.That(titles, Has.All.EndWith("· PromptLogger"));
        await Settle(page);
        Assert.That(problems.Seen, Is.Empty, "no dialog, no error");
    }

    [Test]
    public async Task OverviewPage_LoadsWithTheNamespaceSwitcher()
    {
        var (page, problems) = await _browser.NewPageAsync();

        await page.GotoAsync(_served.Url("/"));
        await page.SelectOptionAsync("select[name=namespace]", "bulk");
        await page.ClickAsync("form.filters button[type=submit]");
        await page.WaitForURLAsync("**/?namespace=bulk");

        Assert.That(await page.TitleAsync(), Is.EqualTo("Overview · PromptLogger"));
        var choices = await page.Locator("select[name=namespace] option").AllInnerTextsAsync();
        Assert.That(choices[0], Is.EqualTo("All namespaces"));
        Assert.That(choices, Does.Contain("bulk").And.Contain("travel"));
        Assert.That(await page.InputValueAsync("select[name=namespace]"), Is.EqualTo("bulk"));
        Assert.That(await page.GetAttributeAsync("#to-records", "href"), Is.EqualTo("/records?namespace=bulk"));
        Assert.That(
            await page.EvalOnSelectorAsync<string>("dl.totals", "e => getComputedStyle(e).display"),
            Is.EqualTo("flex"),
            "the overview's own stylesheet (charts.css) is linked, not only site.css");
        await Settle(page);
        Assert.That(problems.Seen, Is.Empty);
    }

    [Test]
    public async Task Screenshots_OfEachPage()
    {
        // PROMPTLOGGER_SCREENSHOTS=docs/screenshots keeps them (the README's); otherwise they are taken and dropped.
        var folder = Environment.GetEnvironmentVariable("PROMPTLOGGER_SCREENSHOTS") is { Length: > 0 } kept ? kept : _store.Temp.File("screenshots");
        Directory.CreateDirectory(folder);
        var (page, problems) = await _browser.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 } });
        var recordId = await page.EvaluateAsync<string>("() => ''");
        await page.GotoAsync(_served.Url("/records?conversation=trip-42"));
        var first = await page.GetAttributeAsync("#records tbody tr:last-child td.time a", "href");

        var shots = new (string Name, string Path)[]
        {
            ("overview", "/"),
            ("records", "/records?namespace=bulk"),
            ("record", first!),
            ("conversation", "/conversations/trip-42?namespace=travel"),
        };
        foreach (var (name, path) in shots)
        {
            await page.GotoAsync(_served.Url(path));
            var file = Path.Combine(folder, name + ".png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = name != "records" });
            Assert.That(new FileInfo(file).Length, Is.GreaterThan(10_000), name);
        }

        await Settle(page);
        Assert.That(problems.Seen, Is.Empty);
        Assert.That(recordId, Is.Empty);
    }

    /// <summary>Lets what the page does by itself (its script, the live feed) run before the problems are read.</summary>
    private static async Task Settle(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 5_000 }).ContinueWith(static _ => { }, TaskScheduler.Default);
        await page.WaitForTimeoutAsync(300);
    }
}
