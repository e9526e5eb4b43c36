using Microsoft.Playwright;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Web;

/// <summary>
/// The report file opened from disk in headless Chromium with the network blocked: its charts and tables render with
/// the stored values, nothing is requested but the file, nothing errs; hostile stored text stays inert text.
/// </summary>
/// <remarks>
/// <c>PROMPTLOGGER_SCREENSHOTS</c> names a folder where the rendered report is saved as <c>report.png</c> (the
/// README's <c>docs/screenshots/report.png</c> is taken so).
/// </remarks>
public sealed class ReportBrowserTests
{
    private static readonly string[] Models = ["gpt-4.1", "gpt-4o-mini", "claude-sonnet-4-5", "my-own-model"];

    private static readonly (string Question, string Answer)[] Exchanges =
    [
        ("Summarise the refund policy for order 1042.", "Refunds are accepted within 30 days of delivery; order 1042 qualifies."),
        ("Translate 'good morning' into French.", "Bonjour."),
        ("Which plan includes priority support?", "The Business plan includes priority support with a 4-hour response time."),
        ("Draft a two-line release note for v2.3.", "v2.3 adds CSV export and fixes the login timeout on slow networks."),
        ("Is this review positive or negative? 'Arrived late, works great.'", "Mixed, mostly positive: the product is praised, the delivery is not."),
    ];

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp?.Dispose();

    [Test]
    public async Task Report_OpenedFromDiskWithTheNetworkBlocked_RendersItsChartsAndTables()
    {
        var url = _temp.DatabaseUrl();
        var stored = StoreTwoWeeks(url);
        var output = _temp.File("report.html");
        var result = PromptLoggerCommand.Run("report", output, "--limit", "12", "-d", url);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());

        await using var browser = await Browser.LaunchAsync();
        var (page, problems, requests) = await OpenBlockedAsync(browser, output);

        Assert.That(await page.TitleAsync(), Is.EqualTo("PromptLogger report"));
        var charts = page.Locator("svg.chart-svg");
        Assert.That(await charts.CountAsync(), Is.EqualTo(5));
        for (var i = 0; i < 5; i++)
        {
            var box = await charts.Nth(i).BoundingBoxAsync();
            Assert.That(box, Is.Not.Null);
            Assert.That(box!.Width, Is.GreaterThan(300), $"chart {i} is drawn");
            Assert.That(box.Height, Is.GreaterThan(60), $"chart {i} is drawn");
        }

        var columns = page.Locator(".day-chart rect.series-0[data-value]");
        Assert.That(await columns.CountAsync(), Is.EqualTo(14), "one column a day");
        var firstColumn = await columns.First.BoundingBoxAsync();
        Assert.That(firstColumn!.Height, Is.GreaterThan(0));
        var perDay = stored.GroupBy(r => DateTimeOffset.FromUnixTimeMilliseconds((long)(r.InferenceOn * 1000)).UtcDateTime.Date).OrderBy(g => g.Key).ToList();
        Assert.That(await columns.First.GetAttributeAsync("data-value"), Is.EqualTo(perDay[0].Count().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(await page.InnerTextAsync("[data-total=calls]"), Is.EqualTo(stored.Count.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture)));

        var modelRows = page.Locator("table.models tbody tr");
        Assert.That(await modelRows.CountAsync(), Is.EqualTo(Models.Length));
        var own = page.Locator("table.models tbody tr", new() { HasText = "my-own-model" });
        var ownCells = await own.Locator("td").AllInnerTextsAsync();
        Assert.That(ownCells[0], Is.EqualTo(stored.Count(r => r.Model == "my-own-model").ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(ownCells[5], Is.EqualTo("—"), "a model without a price shows no cost, never 0");

        var records = page.Locator("table.records tbody tr");
        Assert.That(await records.CountAsync(), Is.EqualTo(12));
        var newest = stored.MaxBy(r => r.InferenceOn)!;
        var newestCells = await records.First.Locator("td").AllInnerTextsAsync();
        Assert.That(newestCells[3], Is.EqualTo(newest.Model));
        Assert.That(newestCells[7], Does.StartWith(Exchanges.Single(e => newest.Messages!.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(e.Question)) >= 0).Question));
        var unpricedRow = page.Locator("table.records tbody tr", new() { HasText = "my-own-model" }).First;
        Assert.That((await unpricedRow.Locator("td").AllInnerTextsAsync())[6], Is.EqualTo("—"));

        Assert.That(problems.Seen, Is.Empty);
        Assert.That(requests, Is.EqualTo(new[] { new Uri(output).AbsoluteUri }), "the file is the only thing the page loads");

        if (Environment.GetEnvironmentVariable("PROMPTLOGGER_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "report.png"), FullPage = true });
        }
    }

    [Test]
    public async Task Report_OfHostileStoredText_ShowsItAsInertText()
    {
        var url = _temp.DatabaseUrl();
        const string Script = "<script>document.title='x'</script>";
        const string Image = "<img src=x onerror=alert(1)>";
        const string Link = "<a href=\"javascript:alert(1)\">click</a>";
        const string Bidi = "evil\u202Etxt.exe\u0007";
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        StoredRecords.Store(url,
            OverviewSample.Chat("default", "</style><h1 id=injected>m</h1>", at, 1, question: Script + " ]]> " + Link, answer: Image + " </style> " + Bidi),
            OverviewSample.Chat("default", "gpt-4.1", at.AddSeconds(1), 1, error: "<svg onload=alert(2)>"));
        var output = _temp.File("hostile.html");
        var result = PromptLoggerCommand.Run("report", output, "-d", url);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());

        await using var browser = await Browser.LaunchAsync();
        var (page, problems, _) = await OpenBlockedAsync(browser, output);
        await page.WaitForTimeoutAsync(200);

        Assert.That(await page.TitleAsync(), Is.EqualTo("PromptLogger report"));
        Assert.That(await page.Locator("script").CountAsync(), Is.Zero);
        Assert.That(await page.Locator("img").CountAsync(), Is.Zero);
        Assert.That(await page.Locator("a").CountAsync(), Is.Zero);
        Assert.That(await page.Locator("#injected").CountAsync(), Is.Zero);
        Assert.That(await page.Locator("svg[onload]").CountAsync(), Is.Zero);
        var hostileRow = page.Locator("table.records tbody tr").Nth(1);
        var text = await hostileRow.Locator("td.text").InnerTextAsync();
        Assert.That(text, Does.Contain(Script).And.Contain(" ]]> ").And.Contain(Link).And.Contain(Image).And.Contain(" </style> "));
        Assert.That(text, Does.Contain("evil\\u{202E}txt.exe\\x07"), "bidirectional and control characters shown, not obeyed");
        Assert.That(await hostileRow.Locator("td").Nth(3).InnerTextAsync(), Is.EqualTo("</style><h1 id=injected>m</h1>"));
        Assert.That(await page.Locator("table.records tbody tr").First.Locator("td.text").InnerTextAsync(), Does.Contain("error: <svg onload=alert(2)>"));
        Assert.That(await page.Locator("svg.chart-svg").CountAsync(), Is.EqualTo(4), "the styles still apply and the charts still draw");
        Assert.That(problems.Seen, Is.Empty, "no dialog, no error");
    }

    /// <summary>Opens the file with every request but the file itself aborted; the URLs of all requests made.</summary>
    internal static async Task<(IPage Page, PageProblems Problems, List<string> Requests)> OpenBlockedAsync(Browser browser, string path)
    {
        var (page, problems) = await browser.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, request) =>
        {
            lock (requests)
            {
                requests.Add(request.Url);
            }
        };
        await page.Context.RouteAsync("**/*", route => route.Request.Url.StartsWith("file://", StringComparison.Ordinal) ? route.ContinueAsync() : route.AbortAsync());
        await page.GotoAsync(new Uri(path).AbsoluteUri);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return (page, problems, requests);
    }

    /// <summary>About 30 calls a day over 14 days, four models, a few failures and streamed calls.</summary>
    private static List<PromptRecord> StoreTwoWeeks(string url)
    {
        var random = new Random(11);
        var start = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        var records = new List<PromptRecord>();
        for (var day = 0; day < 14; day++)
        {
            var calls = 15 + random.Next(30) + (day * 2);
            for (var i = 0; i < calls; i++)
            {
                var model = Models[random.Next(Models.Length) % (random.Next(3) == 0 ? Models.Length : 2)];
                var (question, answer) = Exchanges[random.Next(Exchanges.Length)];
                var streamed = model.StartsWith("claude", StringComparison.Ordinal) || random.Next(4) == 0;
                var record = OverviewSample.Chat(
                    "default",
                    model,
                    start.AddDays(day).AddMinutes(random.Next(24 * 60)),
                    Math.Round(0.4 + (random.NextDouble() * (model == "gpt-4.1" ? 4 : 2)), 3),
                    random.Next(40) == 0 ? "429 Too Many Requests: rate limit reached" : null,
                    question,
                    answer) with
                {
                    InputTokens = 200 + random.Next(1800),
                    OutputTokens = 50 + random.Next(600),
                };
                records.Add(streamed ? record with { Stream = true, TimeToFirstTokenSeconds = Math.Round(0.15 + (random.NextDouble() * 0.6), 3) } : record);
            }
        }

        StoredRecords.Store(url, [.. records]);
        return records;
    }
}
