using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;

namespace PromptLogging.Storage.Search;

/// <summary>
/// Brings the full-text index up to date from its high-water mark, in batches of their own transaction: the prompts
/// stored since the last search are indexed just before the next one, never on the write path.
/// </summary>
/// <remarks>
/// <para>
/// SQLite: a prompt's rowid is given under the write lock, so every prompt above the mark arrived after it. The mark
/// remembers the id at its rowid too: when that row is gone or has another id (the table was vacuumed and renumbered,
/// or its newest rows were deleted and their rowids reused), the index is emptied and rebuilt rather than trusted.
/// </para>
/// <para>
/// PostgreSQL: <c>seq</c> values are taken before their transactions commit, so a prompt may become visible after
/// one with a higher <c>seq</c>. The mark moves past a gap only when no other transaction was in progress at the
/// snapshot that saw it; rows above the mark already indexed are skipped.
/// </para>
/// </remarks>
internal static class SearchIndex
{
    /// <summary>Prompts indexed per transaction: a logger writing meanwhile waits for one batch at most.</summary>
    public const int BatchSize = 5_000;

    // Catch-ups of one database take turns (two searches at once would index the same rows twice).
    internal const long CatchUpLockKey = 0x50_4C_53_65_61_72_63_68; // "PLSearch"

    /// <summary>Indexes every prompt above the high-water mark.</summary>
    /// <param name="connection">A writable connection to a database at the current schema version.</param>
    /// <param name="store">Which dialect.</param>
    /// <param name="progress">Called after each batch with the number of prompts indexed so far.</param>
    /// <param name="cancellationToken">Stops between batches; what was indexed stays.</param>
    /// <returns>The number of prompts indexed.</returns>
    public static long CatchUp(DbConnection connection, DatabaseKind store, Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return store == DatabaseKind.PostgreSql
            ? CatchUpPostgres(connection, progress, cancellationToken)
            : CatchUpSqlite(connection, progress, cancellationToken);
    }

    private static long CatchUpSqlite(DbConnection connection, Action<long>? progress, CancellationToken cancellationToken)
    {
        long indexed = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var transaction = connection.BeginTransaction();
            var (highWater, highWaterId) = connection.QuerySingle<(long, string?)>(
                $"SELECT high_water, high_water_id FROM {SearchSchema.StateTable} WHERE id = 1", transaction: transaction);
            if (highWater > 0 &&
                connection.ExecuteScalar<string?>("SELECT id FROM prompts WHERE rowid = @highWater", new { highWater }, transaction) != highWaterId)
            {
                connection.Execute($"INSERT INTO {SearchSchema.SqliteIndex} ({SearchSchema.SqliteIndex}) VALUES ('delete-all')", transaction: transaction);
                highWater = 0;
            }

            var end = connection.ExecuteScalar<long?>(
                "SELECT max(r) FROM (SELECT rowid AS r FROM prompts WHERE rowid > @highWater ORDER BY rowid LIMIT @batch)",
                new { highWater, batch = BatchSize },
                transaction);
            if (end is not { } last)
            {
                // Nothing new; a reset above (with nothing left to index) still has to be kept.
                connection.Execute($"UPDATE {SearchSchema.StateTable} SET high_water = @highWater, high_water_id = NULL WHERE id = 1 AND high_water <> @highWater",
                    new { highWater }, transaction);
                transaction.Commit();
                return indexed;
            }

            indexed += connection.Execute(
                $"INSERT INTO {SearchSchema.SqliteIndex} (rowid, request, reply) " +
                $"SELECT prompt_rowid, request, reply FROM {SearchSchema.SqliteTextView} WHERE prompt_rowid > @highWater AND prompt_rowid <= @last",
                new { highWater, last },
                transaction);
            connection.Execute(
                $"UPDATE {SearchSchema.StateTable} SET high_water = @last, high_water_id = (SELECT id FROM prompts WHERE rowid = @last) WHERE id = 1",
                new { last },
                transaction);
            transaction.Commit();
            progress?.Invoke(indexed);
        }
    }

    private static long CatchUpPostgres(DbConnection connection, Action<long>? progress, CancellationToken cancellationToken)
    {
        connection.Execute("SELECT pg_advisory_lock(@key)", new { key = CatchUpLockKey });
        try
        {
            long indexed = 0;
            long? cursor = null;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // One snapshot for "was anyone else writing?" and the rows read: see the remarks.
                using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
                var quiet = connection.ExecuteScalar<bool>(
                    "SELECT NOT EXISTS (SELECT 1 FROM pg_snapshot_xip(pg_current_snapshot()))", transaction: transaction);
                var highWater = connection.ExecuteScalar<long>($"SELECT high_water FROM {SearchSchema.StateTable} WHERE id = 1", transaction: transaction);
                var from = Math.Max(highWater, cursor ?? highWater);
                var rows = connection.Query<(long Seq, string? Messages, string? Completions, string? Prompt, string? Response)>(
                    "SELECT seq, messages, completions, prompt, response FROM prompts p WHERE seq > @from " +
                    $"AND NOT EXISTS (SELECT 1 FROM {SearchSchema.PostgresIndex} s WHERE s.seq = p.seq) ORDER BY seq LIMIT @batch",
                    new { from, batch = BatchSize },
                    transaction).ToList();
                if (rows.Count > 0)
                {
                    Insert(connection, transaction, rows);
                    indexed += rows.Count;
                    cursor = rows[^1].Seq;
                }

                // Every seq up to the mark is indexed or will never come: all of them when nobody else was writing,
                // else up to the first gap.
                var mark = quiet ? Math.Max(highWater, cursor ?? highWater) : ContiguousEnd(connection, transaction, highWater);
                if (mark > highWater)
                {
                    connection.Execute($"UPDATE {SearchSchema.StateTable} SET high_water = @mark WHERE id = 1", new { mark }, transaction);
                }

                transaction.Commit();
                if (rows.Count < BatchSize)
                {
                    return indexed;
                }

                progress?.Invoke(indexed);
            }
        }
        finally
        {
            connection.Execute("SELECT pg_advisory_unlock(@key)", new { key = CatchUpLockKey });
        }
    }

    /// <summary>The end of the run of indexed seqs that continues <paramref name="highWater"/> with no gap.</summary>
    private static long ContiguousEnd(DbConnection connection, DbTransaction transaction, long highWater) =>
        connection.ExecuteScalar<long?>(
            $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {SearchSchema.PostgresIndex} WHERE seq = @highWater + 1) THEN " +
            $"(SELECT min(seq) FROM (SELECT seq, lead(seq) OVER (ORDER BY seq) AS next FROM {SearchSchema.PostgresIndex} WHERE seq > @highWater) t " +
            "WHERE next IS NULL OR next <> seq + 1) END",
            new { highWater },
            transaction) ?? highWater;

    private static void Insert(DbConnection connection, DbTransaction transaction, List<(long Seq, string? Messages, string? Completions, string? Prompt, string? Response)> rows)
    {
        const int PerStatement = 500;
        for (var start = 0; start < rows.Count; start += PerStatement)
        {
            var sql = new StringBuilder($"INSERT INTO {SearchSchema.PostgresIndex} (seq, document) VALUES ");
            var parameters = new DynamicParameters();
            var count = Math.Min(PerStatement, rows.Count - start);
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                var n = i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? "(@s" : ", (@s").Append(n).Append(", to_tsvector('").Append(SearchSchema.PostgresConfiguration).Append("', @b").Append(n).Append("))");
                parameters.Add("s" + n, row.Seq);
                parameters.Add("b" + n, Clean(SearchText.Of(Utf8(row.Messages), Utf8(row.Completions), row.Prompt, row.Response)));
            }

            sql.Append(" ON CONFLICT (seq) DO NOTHING");
            connection.Execute(sql.ToString(), parameters, transaction);
        }
    }

    private static byte[]? Utf8(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);

    // PostgreSQL text holds no NUL, and a tsvector has a size limit (1 MB): a longer text is indexed by its start.
    private static string Clean(string text)
    {
        var clean = text.Replace('\0', ' ');
        return clean.Length > 200_000 ? clean[..200_000] : clean;
    }
}
