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
/// Only the prompts there when the purge began are candidates (up to the insertion key it read first): records a
/// logger stores meanwhile are never deleted by it. Dialect specifics — how the search index forgets a prompt and
/// how its high-water mark stays right — are in <see cref="SqlitePurgeBatch"/> and <see cref="PostgresPurgeBatch"/>.
/// </remarks>
internal static class RecordPurge
{
    /// <summary>Prompts deleted per transaction: a logger writing meanwhile waits for one batch at most.</summary>
    public const int DefaultBatchSize = 1_000;

    /// <summary>How many prompts <paramref name="filter"/> selects and how many models would go with them; changes nothing.</summary>
    public static PurgePreview Preview(DbConnection connection, ExportFilter filter)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new StringBuilder("SELECT namespace AS Namespace, model AS Model, count(*) AS Count FROM prompts");
        var parameters = new List<KeyValuePair<string, string>>();
        FilterSql.AppendWhere(sql, filter, parameters);
        sql.Append(" GROUP BY namespace, model ORDER BY namespace, model");
        var groups = connection.Query<(string Namespace, string? Model, long Count)>(sql.ToString(), FilterSql.ToDapper(parameters)).ToList();
        var models = groups.Count(g => g.Model is not null && connection.ExecuteScalar<bool>(
            "SELECT EXISTS (SELECT 1 FROM models WHERE namespace = @ns AND name = @model) " +
            "AND (SELECT count(*) FROM prompts WHERE namespace = @ns AND model = @model) = @count",
            new { ns = g.Namespace, model = g.Model, count = g.Count }));
        return new PurgePreview(groups, new PurgeResult(groups.Sum(g => g.Count), models));
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
    /// <param name="cancellationToken">Stops between batches; what was deleted stays deleted.</param>
    public static PurgeResult Run(
        DbConnection connection,
        DatabaseKind store,
        ExportFilter filter,
        int batchSize = DefaultBatchSize,
        Action<long>? progress = null,
        bool waitForIndex = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        IPurgeBatch batch = store == DatabaseKind.PostgreSql ? new PostgresPurgeBatch(waitForIndex) : new SqlitePurgeBatch();
        var key = batch.KeyColumn;
        var last = connection.ExecuteScalar<long?>($"SELECT max({key}) FROM prompts") ?? 0;
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
            parameters.Add("purge_last", last);
            parameters.Add("purge_batch", batchSize);
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
            if (rows.Count < batchSize)
            {
                break;
            }
        }

        return new PurgeResult(deleted, DeleteUnusedModels(connection, store, models));
    }

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
