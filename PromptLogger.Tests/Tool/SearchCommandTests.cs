using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary><c>prompt-logger search</c> on both stores, through the real tool process.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class SearchCommandTests(StoreKind kind)
{
    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(kind);

    [TearDown]
    public void TearDown()
    {
        _store?.Dispose();
        _store = null!;
    }

    [Test]
    public void Search_Redirected_PrintsOneTabSeparatedLineAMatch_BestFirst_WordsInBrackets()
    {
        var often = StoredRecords.Chat("default", "parcel parcel parcel");
        var once = StoredRecords.Chat("default", "Where is my parcel? It was due on Monday and the tracking page says nothing.", "Sorry about that.");
        StoredRecords.Store(_store.Url, once, often, StoredRecords.Chat("default", "unrelated"));

        var result = PromptLoggerCommand.RunProcess(_store.Temp.Path, "search", "parcel", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines.Select(l => l.Split('\t')[0]), Is.EqualTo(new[] { often.Id, once.Id }));
        Assert.That(lines[1].Split('\t'), Has.Length.EqualTo(5));
        Assert.That(lines[1], Does.Contain("my [parcel]?").And.Contain("\tgpt-4.1\t"));
        Assert.That(result.Out.Contains('\u001b', StringComparison.Ordinal), Is.False, "no colour when redirected");
        Assert.That(result.Error, Does.Contain("2 matches"));
    }

    [Test]
    public void Search_Json_PrintsTheExportLinesOfTheMatches_WithTheirSnippet()
    {
        var match = StoredRecords.Chat("default", "How do I reset my password?", "Use the forgotten-password link.");
        StoredRecords.Store(_store.Url, match, StoredRecords.Chat("default", "unrelated"));

        var result = PromptLoggerCommand.RunProcess(_store.Temp.Path, "search", "password", "--json", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = ToolResult.ParseJsonl(result.Out);
        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.That((string?)lines[0]["id"], Is.EqualTo(match.Id));
        Assert.That(lines[0]["messages"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That((string?)lines[0]["snippet"], Does.Contain("[password]"));
        Assert.That(lines[0].Select(p => p.Key).Last(), Is.EqualTo("snippet"), "PromptLogger's fields follow the seed's");
    }

    [Test]
    public void Search_FindsWhatALoggerStoredSinceTheLastSearch()
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "first kiwi"));
        Assert.That(PromptLoggerCommand.Run("search", "kiwi", "-d", _store.Url).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));

        using (var logger = new PromptLogger("default", _store.Url))
        {
            logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "second kiwi", "ok"));
        }

        var result = PromptLoggerCommand.Run("search", "kiwi", "-d", _store.Url);
        Assert.That(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2), result.ToString());
    }

    [TestCase("\"unbalanced", "unterminated string")]
    [TestCase("kiwi AND", "malformed query")]
    public void Search_OfAMalformedQuery_ExitsTwoWithTheReasonOnOneLine(string query, string reason)
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "kiwi"));

        var result = PromptLoggerCommand.RunProcess(_store.Temp.Path, "search", query, "-d", _store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.Contain(reason).And.Contain("--help"));
        Assert.That(result.Out, Is.Empty);
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Search_OfAnEmptyQuery_ExitsTwo(string query)
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "kiwi"));

        var result = PromptLoggerCommand.Run("search", query, "-d", _store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain("the query is empty"));
    }

    [Test]
    public void Search_OfAMissingDatabase_ExitsOneAndCreatesNothing()
    {
        if (kind == StoreKind.PostgreSql)
        {
            Assert.Ignore("a missing server database is covered by the export's tests");
        }

        var url = _store.Temp.DatabaseUrl("missing.db");

        var result = PromptLoggerCommand.Run("search", "kiwi", "-d", url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("database not found"));
        Assert.That(File.Exists(_store.Temp.File("missing.db")), Is.False);
    }

    [Test]
    public void Search_KeepsToTheFilterFlags()
    {
        var tagged = StoredRecords.Chat("default", "kiwi one") with { Tags = StoredRecords.JsonBytes(new[] { "fruit" }) };
        StoredRecords.Store(_store.Url, tagged, StoredRecords.Chat("default", "kiwi two"), StoredRecords.Chat("other", "kiwi three"));

        var result = PromptLoggerCommand.Run("search", "kiwi", "--tag", "fruit", "-d", _store.Url);
        var other = PromptLoggerCommand.Run("search", "kiwi", "-n", "other", "--limit", "1", "-d", _store.Url);

        Assert.That(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]), Is.EqualTo(new[] { tagged.Id }));
        Assert.That(other.Out, Does.Contain("kiwi three".Replace("kiwi", "[kiwi]", StringComparison.Ordinal)));
    }
}
