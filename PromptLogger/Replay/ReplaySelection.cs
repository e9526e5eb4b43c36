using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using PromptLogging.Export;
using PromptLogging.Storage;

namespace PromptLogging.Replay;

/// <summary>
/// The reads of a replay, on any store: the chat prompts a filter selects outside the target namespace, oldest id first
/// in pages, and which of them the target namespace holds a successful replay of already (<c>replay_of</c>).
/// </summary>
internal sealed class ReplaySelection(PromptStore store, ExportFilter filter, string into)
{
    private const int PageSize = 200;

    // The originals a rerun skips: those with an answer in the target namespace. A failed replay is tried again.
    private const string Replayed =
        "SELECT replay_of FROM prompts WHERE namespace = @into AND kind = 'chat' AND replay_of IS NOT NULL AND error IS NULL";

    /// <summary>How many prompts the selection holds, and how many of them are replayed already.</summary>
    public (int Selected, int AlreadyReplayed) Count()
    {
        using var connection = store.OpenForReading();
        var selected = Scalar(connection, string.Empty);
        var replayed = Scalar(connection, " AND id IN (" + Replayed + ")");
        return (selected, replayed);
    }

    /// <summary>The ids of the originals replayed already.</summary>
    public HashSet<string> ReplayedIds()
    {
        using var connection = store.OpenForReading();
        return new HashSet<string>(connection.Query<string>(Replayed, new { into }), StringComparer.Ordinal);
    }

    /// <summary>The selected prompts, in id order, a page at a time (one short read each: no read stays open while replaying).</summary>
    public IEnumerable<ReplayRow> Rows()
    {
        string? after = null;
        while (true)
        {
            var parameters = new List<KeyValuePair<string, string>>();
            var sql = new StringBuilder("SELECT id AS Id, model AS Model, messages AS Messages, tools AS Tools, generation_kwargs AS GenerationKwargs FROM prompts");
            FilterSql.AppendWhere(sql, filter, parameters);
            sql.Append(" AND namespace <> @into");
            parameters.Add(new("into", into));
            if (after is not null)
            {
                sql.Append(" AND id > @after");
                parameters.Add(new("after", after));
            }

            sql.Append(" ORDER BY id LIMIT ").Append(PageSize.ToString(CultureInfo.InvariantCulture));
            List<ReplayRow> page;
            using (var connection = store.OpenForReading())
            {
                page = [.. connection.Query<ReplayRow>(sql.ToString(), FilterSql.ToDapper(parameters))];
            }

            foreach (var row in page)
            {
                yield return row;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    private int Scalar(DbConnection connection, string condition)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        var sql = new StringBuilder("SELECT COUNT(*) FROM prompts");
        FilterSql.AppendWhere(sql, filter, parameters);
        sql.Append(" AND namespace <> @into").Append(condition);
        parameters.Add(new("into", into));
        return (int)connection.ExecuteScalar<long>(sql.ToString(), FilterSql.ToDapper(parameters));
    }
}
