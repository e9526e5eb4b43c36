using System.Data.Common;
using System.Text;
using Dapper;
using PromptLogging.Browsing;
using PromptLogging.Export;
using PromptLogging.Pricing;

namespace PromptLogging.Tool.Compare;

/// <summary>How the records of two namespaces were paired.</summary>
public enum PairedBy
{
    /// <summary>A record of one is a replay (<c>replay_of</c>) of a record of the other.</summary>
    ReplayOf,

    /// <summary>Two independently recorded runs: records with the same messages, in time order.</summary>
    Messages,
}

/// <summary>
/// Two runs of the same prompts side by side — the data of <c>prompt-logger compare</c>, computed once here for every
/// view (the terminal, JSON, a page): the pairs, each with both calls' figures and the word diff of the replies, and the
/// totals, which are the sums of the pairs' figures.
/// </summary>
/// <remarks>
/// The filters select the records of the first namespace; their counterparts in the second are found whatever they
/// carry. Pairs are made by <c>replay_of</c> when any record of one namespace replays one of the other (a prompt
/// replayed more than once pairs with its latest successful replay), otherwise by identical messages.
/// </remarks>
public sealed record Comparison(
    string NamespaceA,
    string NamespaceB,
    PairedBy PairedBy,
    IReadOnlyList<ComparedPair> Pairs,
    int RecordsA,
    int RecordsB)
{
    // What list shows of a record, and the link to the record it replays.
    private const string Columns = RecordQueries.Summary + ", replay_of AS ReplayOf";

    /// <summary>The sums over the first namespace's side of the pairs.</summary>
    public SideTotals TotalsA { get; } = SideTotals.Of([.. Pairs.Select(p => p.A)]);

    /// <summary>The sums over the second namespace's side of the pairs.</summary>
    public SideTotals TotalsB { get; } = SideTotals.Of([.. Pairs.Select(p => p.B)]);

    /// <summary>Pairs whose replies are the same text.</summary>
    public int Identical => Pairs.Count(p => p.Identical);

    /// <summary>Reads and pairs the chat records of <paramref name="filterA"/>'s namespace and <paramref name="namespaceB"/>.</summary>
    internal static Comparison Run(DbConnection connection, ExportFilter filterA, string namespaceB, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(filterA);
        ArgumentException.ThrowIfNullOrEmpty(filterA.Namespace);
        var a = Read(connection, filterA);
        var b = Read(connection, ExportFilter.Create(namespaceB, null));
        var byReplay = ByReplayOf(a, b);
        var (pairedBy, pairs) = byReplay.Count > 0 ? (PairedBy.ReplayOf, byReplay) : (PairedBy.Messages, ByMessages(a, b));
        return new Comparison(
            filterA.Namespace,
            namespaceB,
            pairedBy,
            [.. pairs.Select(p => ComparedPair.Of(ComparedCall.Of(p.A, prices), ComparedCall.Of(p.B, prices)))],
            a.Count,
            b.Count);
    }

    private static List<StoredRecord> Read(DbConnection connection, ExportFilter filter)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        var sql = new StringBuilder("SELECT ").Append(Columns).Append(" FROM prompts");
        FilterSql.AppendWhere(sql, filter, parameters);
        sql.Append(" ORDER BY inference_on, id");
        return [.. connection.Query<StoredRecord>(sql.ToString(), FilterSql.ToDapper(parameters))];
    }

    // Either way round: the second namespace replays the first, or the first the second. Of several replays of one
    // prompt, the latest that succeeded (else the latest).
    private static List<(StoredRecord A, StoredRecord B)> ByReplayOf(List<StoredRecord> a, List<StoredRecord> b)
    {
        var bById = b.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var replaysOf = b.Where(r => r.ReplayOf is not null).ToLookup(r => r.ReplayOf!, StringComparer.Ordinal);
        var pairs = new List<(StoredRecord, StoredRecord)>();
        foreach (var record in a)
        {
            var replay = replaysOf[record.Id].OrderBy(r => r.Error is null).ThenBy(r => r.InferenceOn).ThenBy(r => r.Id, StringComparer.Ordinal).LastOrDefault();
            if (replay is not null)
            {
                pairs.Add((record, replay));
            }
            else if (record.ReplayOf is not null && bById.TryGetValue(record.ReplayOf, out var original))
            {
                pairs.Add((record, original));
            }
        }

        return pairs;
    }

    private static List<(StoredRecord A, StoredRecord B)> ByMessages(List<StoredRecord> a, List<StoredRecord> b)
    {
        var waiting = new Dictionary<string, Queue<StoredRecord>>(StringComparer.Ordinal);
        foreach (var record in b.Where(r => r.Messages is not null))
        {
            if (!waiting.TryGetValue(record.Messages!, out var queue))
            {
                waiting[record.Messages!] = queue = new Queue<StoredRecord>();
            }

            queue.Enqueue(record);
        }

        var pairs = new List<(StoredRecord, StoredRecord)>();
        foreach (var record in a)
        {
            if (record.Messages is not null && waiting.TryGetValue(record.Messages, out var queue) && queue.TryDequeue(out var match))
            {
                pairs.Add((record, match));
            }
        }

        return pairs;
    }
}
