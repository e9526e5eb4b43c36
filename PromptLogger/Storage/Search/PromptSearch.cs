using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using PromptLogging.Export;

namespace PromptLogging.Storage.Search;

/// <summary>
/// Runs a full-text query over the prompts a filter selects, best match first (SQLite: FTS5's bm25; PostgreSQL:
/// <c>ts_rank</c>), each with a snippet of its text with the matching words marked.
/// </summary>
/// <remarks>
/// The query is in FTS5's syntax on both stores (<see cref="TsQuery"/> translates it for PostgreSQL). Only what the
/// index holds is found: run <see cref="SearchIndex.CatchUp"/> first.
/// </remarks>
internal static class PromptSearch
{
    private const int SnippetWords = 16;

    /// <exception cref="SearchQuerySyntaxException">The query is empty or malformed.</exception>
    public static IReadOnlyList<SearchHit> Run(DbConnection connection, DatabaseKind store, ExportFilter filter, string kind, string query, int limit)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(filter);
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new SearchQuerySyntaxException("the query is empty; give a word to search for.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return store == DatabaseKind.PostgreSql
            ? RunPostgres(connection, filter, kind, query, limit)
            : RunSqlite(connection, filter, kind, query, limit);
    }

    private static List<SearchHit> RunSqlite(DbConnection connection, ExportFilter filter, string kind, string query, int limit)
    {
        // Ranked by the index alone first, then the best candidates checked against the filter: joining every match to
        // its prompt row before ranking reads a row per match (thousands for a common word). When too few of the
        // candidates pass the filter, more are taken, up to every match.
        var rows = new List<Row>();
        for (var candidates = Math.Max(limit * 4, 100); ; candidates *= 8)
        {
            var ranked = Sqlite(() => connection.Query<long>(
                $"SELECT rowid FROM {SearchSchema.SqliteIndex} WHERE {SearchSchema.SqliteIndex} MATCH @query ORDER BY rank LIMIT @candidates",
                new { query, candidates }).ToList());
            rows = Selected(connection, filter, kind, ranked, limit);
            if (rows.Count >= limit || ranked.Count < candidates)
            {
                break;
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        // Snippets for the best rows only: computed in the ranking query, SQLite would make one for every match.
        var snippets = Sqlite(() => connection.Query<(long Row, string? Snippet)>(
            $"SELECT rowid, snippet({SearchSchema.SqliteIndex}, -1, char(2), char(3), '…', {SnippetWords}) " +
            $"FROM {SearchSchema.SqliteIndex} WHERE {SearchSchema.SqliteIndex} MATCH @query AND rowid IN ({RowList(rows.Select(r => r.RowKey))})",
            new { query }).ToDictionary(s => s.Row, s => s.Snippet));
        return [.. rows.Select(r => r.ToHit(snippets.GetValueOrDefault(r.RowKey)))];
    }

    /// <summary>The first <paramref name="limit"/> of <paramref name="ranked"/> (best first) that the filter selects.</summary>
    private static List<Row> Selected(DbConnection connection, ExportFilter filter, string kind, List<long> ranked, int limit)
    {
        if (ranked.Count == 0)
        {
            return [];
        }

        var parameters = new DynamicParameters();
        var sql = new StringBuilder(
            "SELECT p.rowid AS RowKey, p.id AS Id, p.namespace AS Namespace, p.model AS Model, p.inference_on AS InferenceOn " +
            $"FROM prompts p WHERE p.rowid IN ({RowList(ranked)})");
        FilterSql.AppendAnd(sql, filter, kind, parameters, "p.");
        var selected = connection.Query<Row>(sql.ToString(), parameters).ToDictionary(r => r.RowKey);
        return [.. ranked.Where(selected.ContainsKey).Select(r => selected[r]).Take(limit)];
    }

    private static string RowList(IEnumerable<long> rows) => string.Join(", ", rows.Select(r => r.ToString(CultureInfo.InvariantCulture)));

    /// <summary>FTS5 reports a malformed query as an SQLite error: it is a usage error, with FTS5's reason.</summary>
    private static T Sqlite<T>(Func<T> run)
    {
        try
        {
            return run();
        }
        catch (DbException exception) when (IsQueryError(exception.Message))
        {
            throw new SearchQuerySyntaxException("malformed query: " + Reason(exception.Message), exception);
        }
    }

    private static bool IsQueryError(string message) =>
        message.Contains("fts5:", StringComparison.Ordinal) ||
        message.Contains("unterminated string", StringComparison.Ordinal) ||
        message.Contains("no such column", StringComparison.Ordinal) ||
        message.Contains("unknown special query", StringComparison.Ordinal);

    // "SQLite Error 1: 'fts5: syntax error near "x"'." → fts5: syntax error near "x"
    private static string Reason(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = message.LastIndexOf('\'');
        return start >= 0 && end > start ? message[(start + 1)..end] : message;
    }

    private static List<SearchHit> RunPostgres(DbConnection connection, ExportFilter filter, string kind, string query, int limit)
    {
        var tsquery = TsQuery.Translate(query);
        var parameters = new DynamicParameters();
        parameters.Add("query", tsquery);
        parameters.Add("limit", limit);
        var sql = new StringBuilder(
            "SELECT p.seq AS RowKey, p.id AS Id, p.namespace AS Namespace, p.model AS Model, p.inference_on AS InferenceOn " +
            $"FROM {SearchSchema.PostgresIndex} s JOIN prompts p ON p.seq = s.seq, to_tsquery('{SearchSchema.PostgresConfiguration}', @query) AS q " +
            "WHERE s.document @@ q");
        FilterSql.AppendAnd(sql, filter, kind, parameters, "p.");
        sql.Append(" ORDER BY ts_rank(s.document, q) DESC, p.seq DESC LIMIT @limit");
        var rows = connection.Query<Row>(sql.ToString(), parameters).ToList();
        var hits = new List<SearchHit>(rows.Count);
        foreach (var row in rows)
        {
            var text = connection.QuerySingle<(string? Messages, string? Completions, string? Prompt, string? Response)>(
                "SELECT messages, completions, prompt, response FROM prompts WHERE seq = @seq", new { seq = row.RowKey });
            var body = SearchText.Of(Utf8(text.Messages), Utf8(text.Completions), text.Prompt, text.Response).Replace('\0', ' ');
            var snippet = connection.ExecuteScalar<string>(
                $"SELECT ts_headline('{SearchSchema.PostgresConfiguration}', @body, to_tsquery('{SearchSchema.PostgresConfiguration}', @query), @options)",
                new { body, query = tsquery, options = $"StartSel=\"{SearchHit.MatchStart}\", StopSel=\"{SearchHit.MatchEnd}\", MaxWords={SnippetWords + 8}, MinWords={SnippetWords / 2}, MaxFragments=1" });
            hits.Add(row.ToHit(snippet));
        }

        return hits;
    }

    private static byte[]? Utf8(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);

    private sealed record Row(long RowKey, string Id, string Namespace, string? Model, double InferenceOn)
    {
        public SearchHit ToHit(string? snippet) => new(Id, Namespace, Model, InferenceOn, snippet ?? string.Empty);
    }
}
