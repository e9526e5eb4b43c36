using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using PromptLogging.Export;
using PromptLogging.Storage;

namespace PromptLogging.Browsing;

/// <summary>
/// Follows the records stored after a position in insertion order (SQLite's rowid, PostgreSQL's seq), oldest first:
/// what <c>list --follow</c> prints next and the web UI's live feed sends. Not by id: ids are time-ordered only for
/// the records this library made, and imported ones (the Python package's random UUIDs) mostly sort above them.
/// </summary>
/// <remarks>
/// SQLite has one writer at a time, so rowids appear in order. PostgreSQL hands out seq values when a row is inserted
/// but the row becomes visible when its transaction commits: a transaction holding a lower seq can commit after a
/// higher one was read. So on PostgreSQL each look re-reads the last <see cref="PostgresWindow"/> positions behind the
/// cursor and leaves out the ids already returned there: a late commit is caught when its seq is at most that far
/// behind (a writer's batch is one short transaction; a commit later than that many newer positions is missed).
/// </remarks>
internal sealed class RecordFollower
{
    /// <summary>How many positions behind the cursor PostgreSQL's looks re-read for late commits.</summary>
    internal const long PostgresWindow = 256;

    private readonly PromptStore store;
    private readonly ExportFilter filter;
    private readonly long window;
    private readonly HashSet<string> alreadyShown;

    // The ids returned (or present at the start) at positions within the window behind the cursor.
    private readonly Dictionary<string, long> seen = new(StringComparer.Ordinal);

    private RecordFollower(PromptStore store, ExportFilter filter, long position, IEnumerable<string>? alreadyShown)
    {
        this.store = store;
        this.filter = filter;
        Position = position;
        window = store.Url.Kind == DatabaseKind.PostgreSql ? PostgresWindow : 0;
        this.alreadyShown = new HashSet<string>(alreadyShown ?? [], StringComparer.Ordinal);
    }

    /// <summary>The greatest position read so far: a reader that starts again here misses nothing older.</summary>
    public long Position { get; private set; }

    /// <summary>
    /// The greatest insertion position stored, in any namespace (0 when empty): where following starts. Read at the
    /// end of the rowid b-tree or the seq index, not by a scan.
    /// </summary>
    public static long LastPosition(DbConnection connection, PromptStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return connection.ExecuteScalar<long?>("SELECT max(" + store.InsertionOrderColumn + ") FROM prompts") ?? 0;
    }

    /// <summary>
    /// A follower of what <paramref name="filter"/> selects after <paramref name="position"/>; the records of
    /// <paramref name="alreadyShown"/> (ids) are never returned.
    /// </summary>
    public static RecordFollower Start(DbConnection connection, PromptStore store, ExportFilter filter, long position, IEnumerable<string>? alreadyShown = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        var follower = new RecordFollower(store, filter, Math.Max(0, position), alreadyShown);
        if (follower.window > 0)
        {
            // What is already there behind the start was seen before it: only late commits are new.
            foreach (var (record, at) in follower.Read(connection, follower.Position - follower.window, follower.Position, int.MaxValue))
            {
                follower.seen[record.Id] = at;
            }
        }

        return follower;
    }

    /// <summary>
    /// Up to about <paramref name="limit"/> records stored since the last look, in insertion order, each with the
    /// cursor's position once it is read (an event id to resume from).
    /// </summary>
    public IReadOnlyList<(StoredRecord Record, long Position)> Next(DbConnection connection, int limit)
    {
        var rows = Read(connection, Position - window, null, Math.Max(1, limit) + seen.Count);
        var found = new List<(StoredRecord Record, long Position)>();
        foreach (var (record, at) in rows)
        {
            if (window > 0 && !seen.TryAdd(record.Id, at))
            {
                continue;
            }

            Position = Math.Max(Position, at);
            if (!alreadyShown.Remove(record.Id))
            {
                found.Add((record, Position));
            }
        }

        if (window > 0)
        {
            foreach (var old in seen.Where(s => s.Value <= Position - window).Select(s => s.Key).ToList())
            {
                seen.Remove(old);
            }
        }

        return found;
    }

    private List<(StoredRecord Record, long Position)> Read(DbConnection connection, long after, long? upTo, int limit)
    {
        var order = store.InsertionOrderColumn;
        var parameters = new List<KeyValuePair<string, string>>();
        var sql = new StringBuilder("SELECT ").Append(RecordQueries.Summary).Append(", ").Append(order).Append(" AS Position FROM prompts");
        FilterSql.AppendWhere(sql, filter, parameters);
        sql.Append(" AND ").Append(order).Append(" > CAST(@after AS bigint)");
        parameters.Add(new("after", Math.Max(0, after).ToString(CultureInfo.InvariantCulture)));
        if (upTo is { } last)
        {
            sql.Append(" AND ").Append(order).Append(" <= CAST(@upTo AS bigint)");
            parameters.Add(new("upTo", last.ToString(CultureInfo.InvariantCulture)));
        }

        sql.Append(" ORDER BY ").Append(order);
        if (limit < int.MaxValue)
        {
            sql.Append(" LIMIT ").Append(limit);
        }

        return [.. connection.Query<StoredRecord, long, (StoredRecord, long)>(
            sql.ToString(), (record, position) => (record, position), FilterSql.ToDapper(parameters), splitOn: "Position")];
    }
}
