using System.Data.Common;
using Dapper;
using PromptLogging.Export;
using PromptLogging.Storage;
using PromptLogging.Storage.Search;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Storage.Search;

/// <summary>Full-text search on real databases of both stores: what is found, in which order, how it is marked, and when it is indexed.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class PromptSearchTests(StoreKind kind)
{
    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(kind);

    [TearDown]
    public void TearDown() => _store?.Dispose();

    private DatabaseKind Dialect => kind == StoreKind.PostgreSql ? DatabaseKind.PostgreSql : DatabaseKind.Sqlite;

    private static ExportFilter Default => ExportFilter.Create(PromptLoggerOptions.DefaultNamespace, null);

    [Test]
    public void Search_FindsWordsOfMessagesAndReplies_AndMarksThem()
    {
        StoredRecords.Store(_store.Url,
            StoredRecords.Chat("default", "Where is my parcel?", "Your parcel left the depot."),
            StoredRecords.Chat("default", "What is the weather?", "Sunny with a chance of walruses."));

        var byQuestion = Search("parcel");
        var byReply = Search("walruses");

        Assert.That(byQuestion, Has.Count.EqualTo(1));
        Assert.That(byQuestion[0].Snippet, Does.Contain($"{SearchHit.MatchStart}parcel{SearchHit.MatchEnd}"));
        Assert.That(byReply, Has.Count.EqualTo(1));
        Assert.That(byReply[0].Snippet, Does.Contain($"{SearchHit.MatchStart}walruses{SearchHit.MatchEnd}"));
        Assert.That(Search("nothingmatchesthis"), Is.Empty);
    }

    [Test]
    public void Search_FindsTextPromptsAndResponses_OnlyWithTheTextKind()
    {
        var text = StoredRecords.Chat("default", "unused", "unused") with
        {
            Id = Guid.NewGuid().ToString(),
            Kind = PromptRecord.TextKind,
            Messages = null,
            Completions = null,
            Prompt = "Translate aardvark into French",
            Response = "oryctérope",
        };
        StoredRecords.Store(_store.Url, text);

        Assert.That(Search("aardvark", PromptRecord.TextKind).Select(h => h.Id), Is.EqualTo(new[] { text.Id }));
        Assert.That(Search("aardvark"), Is.Empty, "a chat search leaves text prompts out");
    }

    [Test]
    public void Search_PutsTheBestMatchFirst()
    {
        var once = StoredRecords.Chat("default", "a long question that mentions zebra once among many other words of no interest at all today");
        var often = StoredRecords.Chat("default", "zebra zebra zebra");
        StoredRecords.Store(_store.Url, once, often);

        Assert.That(Search("zebra").Select(h => h.Id), Is.EqualTo(new[] { often.Id, once.Id }));
    }

    [Test]
    public void Search_TakesTheFts5Syntax_OnBothStores()
    {
        var red = StoredRecords.Chat("default", "the red fox jumps");
        var blue = StoredRecords.Chat("default", "the blue fox sleeps");
        var green = StoredRecords.Chat("default", "a green turtle");
        StoredRecords.Store(_store.Url, red, blue, green);

        Assert.Multiple(() =>
        {
            Assert.That(Ids("fox"), Is.EquivalentTo(new[] { red.Id, blue.Id }));
            Assert.That(Ids("fox NOT red"), Is.EquivalentTo(new[] { blue.Id }));
            Assert.That(Ids("red OR turtle"), Is.EquivalentTo(new[] { red.Id, green.Id }));
            Assert.That(Ids("\"red fox\""), Is.EquivalentTo(new[] { red.Id }));
            Assert.That(Ids("\"fox red\""), Is.Empty, "a phrase keeps its order");
            Assert.That(Ids("sle*"), Is.EquivalentTo(new[] { blue.Id }));
            Assert.That(Ids("fox AND (jumps OR turtle)"), Is.EquivalentTo(new[] { red.Id }));
            Assert.That(Ids("FOX"), Is.EquivalentTo(new[] { red.Id, blue.Id }), "case does not matter");
        });
    }

    [TestCase("\"unbalanced")]
    [TestCase("fox AND")]
    [TestCase("(fox")]
    [TestCase("fox)")]
    public void Search_OfAMalformedQuery_SaysWhy(string query)
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "the red fox"));

        var exception = Assert.Throws<SearchQuerySyntaxException>(() => Search(query));
        Assert.That(exception!.Message, Does.StartWith("malformed query: "));
    }

    [Test]
    public void Search_OfAnEmptyQuery_Throws()
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "the red fox"));

        Assert.Throws<SearchQuerySyntaxException>(() => Search("  "));
    }

    [Test]
    public void Search_KeepsToTheFilter()
    {
        var mine = StoredRecords.Chat("default", "invoice overdue", model: "gpt-4.1") with { UserId = "u-1" };
        var otherModel = StoredRecords.Chat("default", "invoice overdue", model: "gpt-4o") with { UserId = "u-1" };
        var otherUser = StoredRecords.Chat("default", "invoice overdue", model: "gpt-4.1") with { UserId = "u-2" };
        var otherNamespace = StoredRecords.Chat("elsewhere", "invoice overdue", model: "gpt-4.1") with { UserId = "u-1" };
        StoredRecords.Store(_store.Url, mine, otherModel, otherUser, otherNamespace);

        var filter = ExportFilter.Create("default", ["gpt-4.1"], userId: "u-1");
        Assert.That(Search("invoice", filter: filter).Select(h => h.Id), Is.EqualTo(new[] { mine.Id }));
    }

    [Test]
    public void Storing_IndexesNothing_TheNextSearchIndexesWhatArrivedSinceTheLast()
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "first penguin"));
        Assert.That(IndexedCount(), Is.Zero, "the write path leaves the index alone");
        Assert.That(Search("penguin"), Has.Count.EqualTo(1));
        Assert.That(IndexedCount(), Is.EqualTo(1));

        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "second penguin"), StoredRecords.Chat("default", "third penguin"));
        Assert.That(IndexedCount(), Is.EqualTo(1));
        Assert.That(Search("penguin"), Has.Count.EqualTo(3));
        Assert.That(IndexedCount(), Is.EqualTo(3));
    }

    [Test]
    public void CatchUp_IndexesMoreThanOneBatch()
    {
        var records = Enumerable.Range(0, SearchIndex.BatchSize + 7)
            .Select(i => StoredRecords.Chat("default", i % 1000 == 0 ? "needle in a haystack" : "hay " + i))
            .ToArray();
        StoredRecords.Store(_store.Url, records);

        Assert.That(Search("needle", limit: 100), Has.Count.EqualTo(records.Count(r => r.Messages!.AsSpan().IndexOf("needle"u8) >= 0)));
        Assert.That(IndexedCount(), Is.EqualTo(records.Length));
    }

    [Test]
    public void Search_MarksWordsInHostileText_WithoutLosingOrInterpretingIt()
    {
        const string Hostile = "\u001b[31mred\u001b[0m \u202Eevil ); DROP TABLE prompts; -- \"quoted\" {\"json\": true} \u0002fake\u0003";
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", Hostile));

        var hits = Search("evil");

        Assert.That(hits, Has.Count.EqualTo(1));
        Assert.That(hits[0].Snippet, Does.Contain($"{SearchHit.MatchStart}evil{SearchHit.MatchEnd}"));
        Assert.That(_store.CountPrompts(), Is.EqualTo(1));
    }

    [Test]
    public void Search_SkipsRowsWhoseJsonIsDamaged_AndStillFindsTheOthers()
    {
        var damaged = StoredRecords.Chat("default", "ignored") with { Messages = "[{\"role\":\"user\",\"content\":\"broken lynx"u8.ToArray() };
        var whole = StoredRecords.Chat("default", "a whole lynx");
        StoredRecords.Store(_store.Url, damaged, whole);

        Assert.That(Search("lynx").Select(h => h.Id), Is.EqualTo(new[] { whole.Id }));
    }

    private List<string> Ids(string query) => [.. Search(query).Select(h => h.Id)];

    private IReadOnlyList<SearchHit> Search(string query, string recordKind = PromptRecord.ChatKind, ExportFilter? filter = null, int limit = 20)
    {
        var store = PromptStore.Create(DatabaseUrl.Parse(_store.Url));
        using var connection = store.OpenExistingForWriting();
        SearchIndex.CatchUp(connection, Dialect);
        return PromptSearch.Run(connection, Dialect, filter ?? Default, recordKind, query, limit);
    }

    private long IndexedCount()
    {
        using DbConnection connection = _store.Open();
        return kind == StoreKind.PostgreSql
            ? connection.ExecuteScalar<long>($"SELECT count(*) FROM {SearchSchema.PostgresIndex}")
            : connection.ExecuteScalar<long>($"SELECT count(*) FROM {SearchSchema.SqliteIndex}_docsize");
    }
}
