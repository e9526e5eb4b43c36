using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using PromptLogging.Export;
using PromptLogging.Storage;

namespace PromptLogging.Retention;

/// <summary>
/// Deletes the prompts a filter selects, in batches of one transaction each: a prompt goes together with its tags
/// (<c>prompt_tags</c>) and its full-text index row, so a purge stopped at any point (killed, a full disk, a lost
/// server) leaves a consistent database; then the models no prompt of their namespace uses any more.
/// </summary>
/// <remarks>
/// Only the prompts there when the purge began are candidates (up to the insertion key of its preview, or the one it
/// read first): records a logger stores meanwhile are never deleted by it. Dialect specifics — how the search index forgets a prompt and
/// how its high-water mark stays right — are in <see cref="SqlitePurgeBatch"/> and <see cref="PostgresPurgeBatch"/>.
/// </remarks>
internal static class RecordPurge
{
    /// <summary>Prompts deleted per transaction: a logger writing meanwhile waits for one batch at most.</summary>
    public const int DefaultBatchSize = 1_000;

    /// <summary>
    /// How many prompts <paramref name="filter"/> selects (of each of <paramref name="kinds"/>, by default the filter's
    /// own kind), how many models would go with them, and the largest key among them; changes nothing.
    /// </summary>
    public static PurgePreview Preview(DbConnection connection, DatabaseKind store, ExportFilter filter, IReadOnlyList<string>? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(filter);
        var key = KeyColumn(store);
        var groups = new List<(string Namespace, string Kind, string? Model, long Count)>();
        long last = 0;
        foreach (var kind in kinds ?? [filter.Kind])
        {
            var sql = new StringBuilder($"SELECT namespace AS Namespace, model AS Model, count(*) AS Count, max({key}) AS Last FROM prompts");
            var parameters = new List<KeyValuePair<string, string>>();
            FilterSql.AppendWhere(sql, filter with { Kind = kind }, parameters);
            sql.Append(" GROUP BY namespace, model ORDER BY namespace, model");
            foreach (var (ns, model, count, max) in connection.Query<(string, string?, long, long)>(sql.ToString(), FilterSql.ToDapper(parameters)))
            {
                groups.Add((ns, kind, model, count));
                last = Math.Max(last, max);
            }
        }

        groups.Sort((a, b) => (string.CompareOrdinal(a.Namespace, b.Namespace), string.CompareOrdinal(a.Kind, b.Kind), string.CompareOrdinal(a.Model, b.Model)) switch
        {
            (not 0 and var c, _, _) => c,
            (_, not 0 and var c, _) => c,
            var (_, _, c) => c,
        });
        // A model goes when every prompt of its namespace that uses it, of any kind, is selected.
        var models = groups.Where(g => g.Model is not null).GroupBy(g => (g.Namespace, g.Model)).Count(g => connection.ExecuteScalar<bool>(
            "SELECT EXISTS (SELECT 1 FROM models WHERE namespace = @ns AND name = @model) " +
            "AND (SELECT count(*) FROM prompts WHERE namespace = @ns AND model = @model) = @count",
            new { ns = g.Key.Namespace, model = g.Key.Model, count = g.Sum(x => x.Count) }));
        return new PurgePreview(groups, new PurgeResult(groups.Sum(g => g.Count), models), last);
    }

    /// <summary>Deletes what <paramref name="filter"/> selects, then the models left unused.</summary>
    /// <param name="connection">A writable connection to a database at the current schema version, in no transaction.</param>
    /// <param name="store">Which dialect.</param>
    /// <param name="filter">What to delete.</param>
    /// <param name="batchSize">Prompts per transaction.</param>
    /// <param name="progress">Called after each batch with the number of prompts deleted so far.</param>
    /// <param name="waitForIndex">
    /// PostgreSQL: wait for a search index catch-up in progress to finish (the command line); false gives up at once
    /// instead, deleting nothing more (a background purge tries again later).
    /// </param>
    /// <param name="last">
    /// The largest key to delete: <see cref="PurgePreview.Last"/> of the preview the user confirmed, so that records
    /// stored since are kept; null: the largest key there now.
    /// </param>
    /// <param name="atMost">
    /// How many prompts to delete at most (the preview's count): on PostgreSQL a prompt whose transaction was still
    /// open at the preview can later appear below <paramref name="last"/>; this keeps the purge within what was confirmed.
    /// </param>
    /// <param name="cancellationToken">Stops between batches; what was deleted stays deleted.</param>
    public static PurgeResult Run(
        DbConnection connection,
        DatabaseKind store,
        ExportFilter filter,
        int batchSize = DefaultBatchSize,
        Action<long>? progress = null,
        bool waitForIndex = true,
        long? last = null,
        long? atMost = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        IPurgeBatch batch = store == DatabaseKind.PostgreSql ? new PostgresPurgeBatch(waitForIndex) : new SqlitePurgeBatch();
        var key = KeyColumn(store);
        var upTo = last ?? connection.ExecuteScalar<long?>($"SELECT max({key}) FROM prompts") ?? 0;
        var select = new StringBuilder($"SELECT {key} AS Key, namespace AS Namespace, model AS Model FROM prompts");
        var filterParameters = new List<KeyValuePair<string, string>>();
        FilterSql.AppendWhere(select, filter, filterParameters);
        select.Append(CultureInfo.InvariantCulture, $" AND {key} > @purge_after AND {key} <= @purge_last ORDER BY {key} LIMIT @purge_batch");

        var models = new HashSet<(string Namespace, string Model)>();
        long deleted = 0;
        long after = long.MinValue;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var transaction = batch.Begin(connection);
            if (transaction is null)
            {
                break;
            }

            var parameters = FilterSql.ToDapper(filterParameters);
            parameters.Add("purge_after", after);
            var size = atMost is { } most ? (int)Math.Min(batchSize, most - deleted) : batchSize;
            if (size <= 0)
            {
                transaction.Commit();
                break;
            }

            parameters.Add("purge_last", upTo);
            parameters.Add("purge_batch", size);
            var rows = connection.Query<PurgeCandidate>(select.ToString(), parameters, transaction).ToList();
            if (rows.Count == 0)
            {
                transaction.Commit();
                break;
            }

            batch.Delete(connection, transaction, Keys(rows));
            transaction.Commit();
            deleted += rows.Count;
            after = rows[^1].Key;
            foreach (var row in rows)
            {
                if (row.Model is { } model)
                {
                    models.Add((row.Namespace, model));
                }
            }

            progress?.Invoke(deleted);
            if (rows.Count < size)
            {
                break;
            }
        }

        return new PurgeResult(deleted, DeleteUnusedModels(connection, store, models));
    }

    /// <summary>The column whose order is insertion order: <c>rowid</c> (SQLite) or <c>seq</c> (PostgreSQL).</summary>
    private static string KeyColumn(DatabaseKind store) => store == DatabaseKind.PostgreSql ? "seq" : "rowid";

    /// <summary>The models among <paramref name="candidates"/> that no prompt of their namespace uses any more.</summary>
    private static long DeleteUnusedModels(DbConnection connection, DatabaseKind store, HashSet<(string Namespace, string Model)> candidates)
    {
        if (candidates.Count == 0)
        {
            return 0;
        }

        using var transaction = store == DatabaseKind.Sqlite
            ? ((Microsoft.Data.Sqlite.SqliteConnection)connection).BeginTransaction(deferred: false)
            : connection.BeginTransaction(IsolationLevel.ReadCommitted);
        long deleted = 0;
        foreach (var (ns, model) in candidates)
        {
            deleted += connection.Execute(
                "DELETE FROM models WHERE namespace = @ns AND name = @model " +
                "AND NOT EXISTS (SELECT 1 FROM prompts WHERE namespace = @ns AND model = @model)",
                new { ns, model },
                transaction);
        }

        transaction.Commit();
        return deleted;
    }

    /// <summary>The keys as SQL literals: numbers only, so nothing of the data reaches the statement's text.</summary>
    private static string Keys(List<PurgeCandidate> rows) =>
        string.Join(", ", rows.Select(r => r.Key.ToString(CultureInfo.InvariantCulture)));
}
