using System.Net;
using System.Text.Json.Nodes;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Web;

/// <summary>
/// serve's <c>/api/…</c> and its HTTP rules, on both stores, over records stored through the library: the same
/// filters as the CLI, keyset pages, a record as its export line, conversations, namespaces, models, stats, the
/// live feed; the safety headers, 405 for anything but GET and HEAD, 421 for a host name that is not loopback.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class ServeApiTests(StoreKind kind)
{
    private TestStore _store = null!;
    private ServedStore _served = null!;

    [OneTimeSetUp]
    public async Task StoreAndServe()
    {
        _store = TestStore.Create(kind);
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
    }

    [TearDown]
    public void NoServerFailure() => Assert.That(_served.Failures, Is.Empty);

    [Test]
    public async Task Records_PagesByKeyset_EveryRecordOnceNewestFirst()
    {
        var questions = new List<string>();
        var url = "/api/records?namespace=bulk&limit=50";
        var pages = 0;
        while (url is not null)
        {
            var page = await GetJson(url);
            questions.AddRange(page["records"]!.AsArray().Select(r => (string)r!["question"]!));
            url = (string?)page["next_url"]!;
            pages++;
        }

        Assert.That(pages, Is.EqualTo(3));
        Assert.That(questions, Is.EqualTo(WebUiData.BulkQuestionsNewestFirst()));
    }

    [Test]
    public async Task Records_TheCliFilters_SelectTheSameAsTheCli()
    {
        Assert.That(await Questions("/api/records?namespace=bulk&errors=only&limit=500"), Has.Count.EqualTo(WebUiData.BulkErrors));
        Assert.That(await Questions("/api/records?namespace=bulk&errors=none&limit=500"), Has.Count.EqualTo(WebUiData.BulkCount - WebUiData.BulkErrors));
        Assert.That(await Questions("/api/records?namespace=bulk&models=gpt-4.1-mini&limit=500"), Has.Count.EqualTo(WebUiData.BulkCount / 2));
        // 12:00 + 60 min … 12:00 + 63 min: records 60 to 62.
        Assert.That(await Questions("/api/records?namespace=bulk&since=2026-01-10T13:00&until=2026-01-10T13:03Z"),
            Is.EqualTo(new[] { "bulk question 62", "bulk question 61", "bulk question 60" }));
        Assert.That(await Questions("/api/records?conversation=trip-42"), Has.Count.EqualTo(3), "every namespace when none is given");
        Assert.That(await Questions("/api/records?tag=weather&user=traveller-7"), Has.Count.EqualTo(3));
        Assert.That(await Questions("/api/records?namespace=nothing-here"), Is.Empty);
    }

    [TestCase("/api/records?since=yesterday", "since 'yesterday' is not a time")]
    [TestCase("/api/records?errors=maybe", "errors must be only or none")]
    [TestCase("/api/records?limit=0", "limit must be from 1 to 500")]
    [TestCase("/api/records?before=nonsense", "is not a page cursor")]
    [TestCase("/api/records?q=%22unbalanced", "malformed query")]
    [TestCase("/api/stats?by=colour", "by must be one of")]
    public async Task BadParameters_Are400_WithTheReason(string url, string reason)
    {
        using var response = await _served.Http.GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"], Does.Contain(reason));
    }

    [Test]
    public async Task Record_IsItsExportLine_AndAMissingOneIs404()
    {
        var newest = (await GetJson("/api/records?conversation=trip-42&limit=1"))["records"]![0]!;
        var id = (string)newest["id"]!;

        var record = await GetJson("/api/records/" + id);
        using var missing = await _served.Http.GetAsync("/api/records/no-such-id");

        Assert.That((string?)record["id"], Is.EqualTo(id));
        Assert.That((string?)record["conversation_id"], Is.EqualTo("trip-42"));
        Assert.That(record["messages"]!.AsArray(), Has.Count.EqualTo(6), "system, user, the tool call, its result, the answer, the next question");
        Assert.That(record["estimated_cost_usd"], Is.Not.Null);
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Conversation_IsItsCallsInOrder()
    {
        var conversation = await GetJson("/api/conversations/trip-42?namespace=travel");

        var calls = conversation["calls"]!.AsArray();
        Assert.That(calls.Select(c => c!["messages"]!.AsArray().Count), Is.EqualTo(new[] { 2, 4, 6 }));
        Assert.That((string?)calls[0]!["completions"]![0]!["tool_calls"]![0]!["function"]!["name"], Is.EqualTo("get_weather"));
        Assert.That((string?)calls[2]!["completions"]![0]!["content"], Is.EqualTo("Tomorrow brings light rain."));
    }

    [Test]
    public async Task Search_FindsWhatTheIndexHolds_AndSaysHowManyAreNotIndexed()
    {
        // serve does not index: the search verb does, once.
        var before = await GetJson("/api/records?q=rain&namespace=travel");
        var search = PromptLoggerCommand.Run("search", "rain", "-n", "travel", "-d", _store.Url);
        var after = await GetJson("/api/records?q=rain&namespace=travel");

        Assert.That(before["matches"]!.AsArray(), Is.Empty);
        Assert.That((long?)before["not_indexed"], Is.EqualTo(WebUiData.BulkCount + 4));
        Assert.That(search.ExitCode, Is.Zero, search.ToString());
        Assert.That(after["matches"]!.AsArray().Select(m => (string?)m!["snippet"]), Has.One.Contains("[rain]"));
        Assert.That((long?)after["not_indexed"], Is.Zero);
    }

    [Test]
    public async Task NamespacesModelsStatsAndOverview_DescribeTheStore()
    {
        var namespaces = (await GetJsonArray("/api/namespaces")).Select(n => ((string?)n!["namespace"], (long?)n["prompts"]));
        var models = (await GetJsonArray("/api/models?namespace=bulk")).Select(m => (string?)m!["model"]);
        var stats = await GetJson("/api/stats?namespace=bulk&by=model");
        var overview = await _served.Http.GetAsync("/api/overview?namespace=bulk");

        Assert.That(namespaces, Is.EquivalentTo(new (string?, long?)[] { ("bulk", WebUiData.BulkCount), ("travel", 4) }));
        Assert.That(models, Is.EqualTo(new[] { "gpt-4.1", "gpt-4.1-mini" }));
        var groups = stats["groups"]!.AsArray();
        Assert.That(groups.Select(g => (long?)g!["calls"]), Is.EqualTo(new long?[] { 60, 60 }));
        Assert.That(groups.Sum(g => (long?)g!["errors"]), Is.EqualTo(WebUiData.BulkErrors));
        Assert.That(overview.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(overview.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
    }

    [Test]
    public async Task Live_SendsRecordsStoredAfterItOpened_OnlyTheSelectedOnes()
    {
        // A store of its own: what it stores would change the other cases' counts.
        using var store = TestStore.Create(kind);
        StoredRecords.Store(store.Url, StoredRecords.Chat("live-ns", "stored before"));
        await using var served = await ServedStore.StartAsync(store);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await served.Http.GetAsync("/api/live?namespace=live-ns", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        StoredRecords.Store(store.Url, StoredRecords.Chat("elsewhere", "not this one"), StoredRecords.Chat("live-ns", "live question"));

        string? data = null;
        string? id = null;
        while (data is null && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        var record = JsonNode.Parse(data!)!;
        Assert.That((string?)record["question"], Is.EqualTo("live question"));
        Assert.That((string?)record["namespace"], Is.EqualTo("live-ns"));
        Assert.That(long.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out _), Is.True, "the event id is the insertion position: " + id);
        Assert.That((string?)record["href"], Is.EqualTo("/records/" + (string?)record["id"]));
        Assert.That(served.Failures, Is.Empty);
    }

    [Test]
    public async Task Live_AfterAnImportedRecordWithAHighId_SendsLaterRecords_AndResumesFromLastEventId()
    {
        using var store = TestStore.Create(kind);
        StoredRecords.Store(store.Url, StoredRecords.Chat("live-ns", "imported") with { Id = Browsing.RecordFollowerTests.HighImportedId });
        await using var served = await ServedStore.StartAsync(store);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string lastEventId;
        using (var response = await served.Http.GetAsync("/api/live?namespace=live-ns", HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token)))
        {
            StoredRecords.Store(store.Url, StoredRecords.Chat("live-ns", "stored later"));
            var (id, data) = await NextEvent(reader, timeout.Token);
            Assert.That((string?)JsonNode.Parse(data)!["question"], Is.EqualTo("stored later"));
            lastEventId = id;
        }

        // Stored while no one listened: a reconnect with Last-Event-ID gets it, and not what it had.
        StoredRecords.Store(store.Url, StoredRecords.Chat("live-ns", "while away"));
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/live?namespace=live-ns");
        again.Headers.Add("Last-Event-ID", lastEventId);
        using var resumed = await served.Http.SendAsync(again, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var resumedReader = new StreamReader(await resumed.Content.ReadAsStreamAsync(timeout.Token));
        var (nextId, nextData) = await NextEvent(resumedReader, timeout.Token);

        Assert.That((string?)JsonNode.Parse(nextData)!["question"], Is.EqualTo("while away"));
        Assert.That(long.Parse(nextId, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(long.Parse(lastEventId, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(served.Failures, Is.Empty);
    }

    [Test]
    public async Task Live_WithAnAfterThatIsNotAPosition_Is400_SayingWhatItTakes()
    {
        using var response = await _served.Http.GetAsync("/api/live?after=" + Browsing.RecordFollowerTests.HighImportedId);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.StartWith("after (or Last-Event-ID) must be a record position"));
    }

    private static async Task<(string Id, string Data)> NextEvent(StreamReader reader, CancellationToken token)
    {
        string? id = null;
        while (await reader.ReadLineAsync(token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return (id ?? throw new AssertionException("an event without an id"), line[6..]);
            }
        }

        throw new AssertionException("the live feed ended");
    }

    [Test]
    public async Task EveryResponse_CarriesTheSafetyHeaders_AndOnlyGetAndHeadAreAnswered()
    {
        using var page = await _served.Http.GetAsync("/records");
        using var post = await _served.Http.PostAsync("/records", new StringContent("x"));
        using var delete = await _served.Http.DeleteAsync("/api/records/x");
        using var head = await _served.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/records"));

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(),
            Does.Contain("default-src 'none'").And.Contain("script-src 'self'").And.Contain("style-src 'self'").And.Contain("frame-ancestors 'none'"));
        Assert.That(page.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(page.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(post.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "HEAD" }));
        Assert.That(post.Headers.Contains("Content-Security-Policy"), Is.True);
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AHostNameThatIsNotLoopback_IsRefused_AgainstDnsRebinding()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/namespaces");
        request.Headers.Host = "attacker.example:" + _served.Server.Address.Port;
        using var rebound = await _served.Http.SendAsync(request);
        using var local = new HttpRequestMessage(HttpMethod.Get, "/api/namespaces");
        local.Headers.Host = "localhost:" + _served.Server.Address.Port;
        using var localhost = await _served.Http.SendAsync(local);

        Assert.That(rebound.StatusCode, Is.EqualTo(HttpStatusCode.MisdirectedRequest));
        Assert.That(localhost.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task BoundToAnotherLoopbackAddress_ItsOwnIpLiteralIsAnswered_ARenamedHostStillRefused()
    {
        await using var served = await ServedStore.StartAsync(_store, address: IPAddress.Parse("127.0.0.2"));
        Assume.That(served.Server.Address.Host, Is.EqualTo("127.0.0.2"));

        using var own = await served.Http.GetAsync("/api/namespaces");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/namespaces");
        request.Headers.Host = "attacker.example:" + served.Server.Address.Port;
        using var rebound = await served.Http.SendAsync(request);

        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK), "Host: 127.0.0.2:PORT is where it listens");
        Assert.That(rebound.StatusCode, Is.EqualTo(HttpStatusCode.MisdirectedRequest));
        Assert.That(await rebound.Content.ReadAsStringAsync(), Does.Contain("127.0.0.2"));
    }

    [Test]
    public async Task HeadOfTheLiveFeed_EndsAtOnce_AndTheConnectionServesTheNextRequest()
    {
        // One connection: a HEAD whose handler never ended would hold it, and the GET after it would wait forever.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var http = new HttpClient(handler) { BaseAddress = _served.Server.Address };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/live?namespace=bulk"), timeout.Token);
        using var next = await http.GetAsync("/api/namespaces", timeout.Token);

        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(head.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task TheDatabaseIsNamedOnThePage_APostgresPasswordNever()
    {
        if (kind != StoreKind.PostgreSql)
        {
            // SQLite URLs hold no password: the page names the file.
            Assert.That(await _served.Http.GetStringAsync("/records"), Does.Contain(_store.Temp.File("prompts.db")));
            return;
        }

        // The tests' server trusts local connections: the password is carried, not needed.
        var withPassword = _store.Url.Replace("postgresql://postgres@", "postgresql://postgres:s3cret-pw@", StringComparison.Ordinal);
        Assume.That(withPassword, Does.Contain("s3cret-pw"));
        await using var served = await ServedStore.StartAsync(_store, withPassword);

        var page = await served.Http.GetStringAsync("/records");
        using var notFound = await served.Http.GetAsync("/records/nothing");
        var missing = await notFound.Content.ReadAsStringAsync();

        Assert.That(page, Does.Contain("postgresql://postgres:***@"));
        Assert.That(page + missing, Does.Not.Contain("s3cret-pw"));
    }

    [Test]
    public async Task Assets_AreVersioned_AndKeptAYear()
    {
        var html = await _served.Http.GetStringAsync("/records");
        var css = System.Text.RegularExpressions.Regex.Match(html, "/assets/[0-9a-f]{12}/site.css").Value;

        using var response = await _served.Http.GetAsync(css);
        using var unknown = await _served.Http.GetAsync("/assets/000000000000/nothing.css");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/css"));
        Assert.That(response.Headers.CacheControl?.ToString(), Does.Contain("immutable"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private async Task<List<string>> Questions(string url) =>
        [.. (await GetJson(url))["records"]!.AsArray().Select(r => (string)r!["question"]!)];

    private async Task<JsonNode> GetJson(string url)
    {
        using var response = await _served.Http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!;
    }

    private async Task<JsonArray> GetJsonArray(string url) => (await GetJson(url)).AsArray();
}
