using System.Text;
using Dapper;
using PromptLogging.Browsing;
using PromptLogging.Export;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Export;

/// <summary>
/// The shared filter's SQL is backed by indexes: SQLite's plans name them (EXPLAIN QUERY PLAN); PostgreSQL, with
/// statistics over a store where the filter keeps 1 % of the rows, does not scan the whole table.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class FilterQueryPlanTests(StoreKind kind)
{
    private const double Start = 1_768_046_400;
    private const int Rows = 5_000;

    private TestStore _store = null!;

    [OneTimeSetUp]
    public void OneTimeSetUp()
    {
        _store = TestStore.Create(kind);
        var template = StoredRecords.Chat("default", "q");
        StoredRecords.Store(_store.Url, [.. Enumerable.Range(0, Rows).Select(i => template with
        {
            Id = $"{i:x8}-0000-7000-8000-000000000000",
            InferenceOn = Start + i * 60,
            Namespace = i % 2 == 0 ? "default" : "other",
        })]);
        using var connection = _store.Open();
        connection.Execute("ANALYZE prompts");
    }

    [OneTimeTearDown]
    public void OneTimeTearDown() => _store?.Dispose();

    [Test]
    public void ExportSince_CoveringOnePercent_UsesTheTimeIndex()
    {
        var since = DateTimeOffset.FromUnixTimeSeconds((long)(Start + Rows * 60 * 0.99));
        var plan = Plan(new ExportFilter("default", null) { Since = since }, "ORDER BY inference_on, " + (kind == StoreKind.Sqlite ? "rowid" : "seq"));

        Assert.That(plan, Does.Contain("ix_prompts_time"), plan);
        Assert.That(plan, Does.Not.Contain("Seq Scan").And.Not.Contain("TEMP B-TREE"), plan);
    }

    [Test]
    public void ExportSince_ReadsOnlyTheWindow_InTimeOrder()
    {
        var since = DateTimeOffset.FromUnixTimeSeconds((long)(Start + (Rows - 4) * 60));
        using var output = new MemoryStream();
        var store = PromptStore.Create(DatabaseUrl.Parse(_store.Url));

        var summary = StoreExport.ToStream(store, ExportKind.ChatPrompts, new ExportFilter(null, null) { Since = since }, output);

        Assert.That(summary.Count, Is.EqualTo(4));
        Assert.That(Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[7..15]),
            Is.EqualTo(new[] { $"{Rows - 4:x8}", $"{Rows - 3:x8}", $"{Rows - 2:x8}", $"{Rows - 1:x8}" }));
    }

    [Test]
    public void ExportSince_AcrossNamespaces_UsesTheTimeIndex()
    {
        var since = DateTimeOffset.FromUnixTimeSeconds((long)(Start + Rows * 60 * 0.99));
        var plan = Plan(new ExportFilter(null, null) { Since = since }, "ORDER BY inference_on, " + (kind == StoreKind.Sqlite ? "rowid" : "seq"));

        Assert.That(plan, Does.Contain("ix_prompts_time_all"), plan);
        Assert.That(plan, Does.Not.Contain("Seq Scan"), plan);
    }

    [Test]
    public void ListNewest_ReadsTheTimeIndexBackwards_WithoutSortingEverything()
    {
        var plan = Plan(new ExportFilter("default", null), "ORDER BY inference_on DESC LIMIT 20");

        Assert.That(plan, Does.Contain("ix_prompts_time"), plan);
        Assert.That(plan, Does.Not.Contain("Seq Scan").And.Not.Contain("TEMP B-TREE"), plan);
    }

    [Test]
    public void ListNewest_ReturnsTheNewestOfTheNamespace()
    {
        using var connection = _store.Open();
        var store = PromptStore.Create(DatabaseUrl.Parse(_store.Url));

        var newest = RecordQueries.Newest(connection, store, new ExportFilter("other", null), 3);

        Assert.That(newest.Select(r => r.Id[..8]), Is.EqualTo(new[] { $"{Rows - 1:x8}", $"{Rows - 3:x8}", $"{Rows - 5:x8}" }));
    }

    private string Plan(ExportFilter filter, string tail)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        var sql = new StringBuilder("SELECT id, messages FROM prompts");
        FilterSql.AppendWhere(sql, filter, parameters);
        sql.Append(' ').Append(tail);
        using var connection = _store.Open();
        var explain = (kind == StoreKind.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql;
        if (kind == StoreKind.Sqlite)
        {
            return string.Join("\n", connection.Query(explain, FilterSql.ToDapper(parameters)).Select(row => (string)((IDictionary<string, object>)row)["detail"]));
        }

        // PostgreSQL: the parameters are text, as the stores bind them.
        return string.Join("\n", connection.Query<string>(explain, FilterSql.ToDapper(parameters)));
    }
}
