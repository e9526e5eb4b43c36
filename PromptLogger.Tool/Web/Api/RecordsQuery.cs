using System.Globalization;
using System.Text;
using Dapper;
using PromptLogging.Browsing;
using PromptLogging.Export;
using PromptLogging.Tool.Browsing;

namespace PromptLogging.Tool.Web.Api;

/// <summary>
/// The reads behind the records and conversation pages and their <c>/api/…</c> twins: a page of records newest first
/// by keyset (time, insertion order), and a conversation's calls oldest first.
/// </summary>
internal static class RecordsQuery
{
    /// <summary>The most calls a conversation page shows.</summary>
    public const int MaxConversationCalls = 500;

    /// <summary>
    /// Up to <paramref name="limit"/> records the filter selects, newest first, before <paramref name="before"/> (or
    /// the newest); <c>Next</c> is the cursor of the following page, null when this one is the last.
    /// </summary>
    public static (IReadOnlyList<StoredRecord> Records, RecordCursor? Next) Page(ReadSession session, ExportFilter filter, RecordCursor? before, int limit)
    {
        ArgumentNullException.ThrowIfNull(session);
        var order = session.Store.InsertionOrderColumn;
        var parameters = new List<KeyValuePair<string, string>>();
        var sql = new StringBuilder("SELECT ").Append(RecordQueries.Summary).Append(", ").Append(order).Append(" AS Position FROM prompts");
        FilterSql.AppendWhere(sql, filter, parameters);
        if (before is not null)
        {
            // Spelled out rather than as a row value: both stores then use the time index for the range.
            sql.Append(" AND (inference_on < CAST(@beforeTime AS double precision) OR (inference_on = CAST(@beforeTime AS double precision) AND ")
                .Append(order).Append(" < CAST(@beforePosition AS bigint)))");
            parameters.Add(new("beforeTime", before.InferenceOn.ToString("R", CultureInfo.InvariantCulture)));
            parameters.Add(new("beforePosition", before.Position.ToString(CultureInfo.InvariantCulture)));
        }

        sql.Append(" ORDER BY inference_on DESC, ").Append(order).Append(" DESC LIMIT ").Append(limit + 1);
        var rows = session.Connection.Query<StoredRecord, long, (StoredRecord Record, long Position)>(
            sql.ToString(), (record, position) => (record, position), FilterSql.ToDapper(parameters), splitOn: "Position").ToList();
        var next = rows.Count > limit ? new RecordCursor(rows[limit - 1].Record.InferenceOn, rows[limit - 1].Position) : null;
        return ([.. rows.Take(limit).Select(r => r.Record)], next);
    }

    /// <summary>A record in full by its exact id (any case); null when there is none.</summary>
    public static StoredRecord? One(ReadSession session, string id)
    {
        ArgumentNullException.ThrowIfNull(session);
        return string.IsNullOrWhiteSpace(id) ? null : RecordQueries.ByIdPrefix(session.Connection, id).FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The calls of a conversation in full, oldest first, at most <see cref="MaxConversationCalls"/> + 1.</summary>
    public static IReadOnlyList<StoredRecord> Conversation(ReadSession session, ExportFilter filter)
    {
        ArgumentNullException.ThrowIfNull(session);
        var parameters = new List<KeyValuePair<string, string>>();
        var sql = new StringBuilder("SELECT ").Append(RecordQueries.Full).Append(" FROM prompts");
        FilterSql.AppendWhere(sql, filter, parameters);
        sql.Append(" ORDER BY inference_on, ").Append(session.Store.InsertionOrderColumn).Append(" LIMIT ").Append(MaxConversationCalls + 1);
        return [.. session.Connection.Query<StoredRecord>(sql.ToString(), FilterSql.ToDapper(parameters))];
    }

    /// <summary>A record's line as the export writes it (the seed's JSONL contract, with its estimated cost).</summary>
    public static string JsonlLine(ReadSession session, StoredRecord record, Pricing.PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        JsonlExporter.ExportOne(session.Connection, session.Store, record.Kind, record.Id, buffer, prices);
        return Encoding.UTF8.GetString(buffer.ToArray()).TrimEnd('\n');
    }
}
