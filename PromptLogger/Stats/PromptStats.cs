using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Storage;

namespace PromptLogging.Stats;

/// <summary>
/// Calls, errors, tokens, estimated cost and latency percentiles per group of the prompts a filter selects: one pass
/// over the selection's few numeric columns; the percentiles are exact, computed here over every selected value
/// (SQLite has no percentile function), the cost priced call by call (a price depends on the call's date and size).
/// </summary>
internal static class PromptStats
{
    /// <summary>The groups, largest first (by day: oldest first).</summary>
    /// <param name="open">Opens a connection that reads the store; called once, or once a part when SQLite reads in parts.</param>
    /// <param name="store">Which dialect.</param>
    /// <param name="filter">Which prompts.</param>
    /// <param name="kind">Chat or text prompts.</param>
    /// <param name="grouping">What to group by.</param>
    /// <param name="prices">Prices the calls.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <remarks>
    /// SQLite reads the table in order rather than through the (namespace, kind) index unless a conversation, user or
    /// tag narrows the selection: a namespace is most of a database as a rule, and a scan of all of it is about twice
    /// as fast as visiting its rows through the index (and a bound, well under a second a million rows, when it is
    /// not). A large table is read in rowid ranges on one connection each, in parallel, and the parts merged.
    /// </remarks>
    public static IReadOnlyList<StatsGroup> Run(
        Func<DbConnection> open,
        DatabaseKind store,
        ExportFilter filter,
        string kind,
        StatsGrouping grouping,
        PriceTable prices,
        CancellationToken cancellationToken = default) =>
        Run(open, store, filter, kind, [grouping], prices, cancellationToken)[0];

    /// <summary>
    /// The groups of each of <paramref name="groupings"/> (in that order), from one read of the selection: the
    /// overview's days and models cost one pass, not two. Each list is what <see cref="Run(Func{DbConnection}, DatabaseKind, ExportFilter, string, StatsGrouping, PriceTable, CancellationToken)"/>
    /// gives for its grouping.
    /// </summary>
    /// <exception cref="ArgumentException">No grouping, or <see cref="StatsGrouping.Tag"/> with another (a prompt is a row a tag).</exception>
    public static IReadOnlyList<IReadOnlyList<StatsGroup>> Run(
        Func<DbConnection> open,
        DatabaseKind store,
        ExportFilter filter,
        string kind,
        IReadOnlyList<StatsGrouping> groupings,
        PriceTable prices,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(groupings);
        ArgumentNullException.ThrowIfNull(prices);
        if (groupings.Count == 0 || (groupings.Count > 1 && groupings.Contains(StatsGrouping.Tag)))
        {
            throw new ArgumentException("Give one grouping or more, and tag only alone (a prompt is read once a tag).", nameof(groupings));
        }

        var scan = store == DatabaseKind.Sqlite && !filter.SelectsByContext;
        var parameters = new DynamicParameters();
        var sql = new StringBuilder("SELECT ")
            .AppendJoin(", ", groupings.Select(KeyColumn))
            .Append(", p.model, p.response_model, p.provider, CASE WHEN p.error IS NULL THEN 0 ELSE 1 END, p.input_tokens, p.cached_input_tokens, ")
            .Append("p.output_tokens, p.inference_seconds, p.time_to_first_token_seconds, p.inference_on FROM prompts p")
            .Append(scan ? " NOT INDEXED" : string.Empty)
            .Append(groupings[0] == StatsGrouping.Tag ? " LEFT JOIN prompt_tags t ON t.prompt_id = p.id" : string.Empty)
            .Append(" WHERE 1 = 1");
        FilterSql.AppendAnd(sql, filter, kind, parameters, "p.");

        using var first = open();
        var ranges = scan ? Ranges(first) : [null];
        var parts = new Part[ranges.Length][];
        Parallel.For(0, ranges.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var range = ranges[i];
            var rangeSql = range is null ? sql.ToString() : sql + FormattableString.Invariant($" AND p.rowid BETWEEN {range.Value.From} AND {range.Value.To}");
            if (i == 0)
            {
                parts[i] = Read(first, rangeSql, parameters, groupings, prices, cancellationToken);
            }
            else
            {
                using var connection = open();
                parts[i] = Read(connection, rangeSql, parameters, groupings, prices, cancellationToken);
            }
        });

        return [.. groupings.Select((grouping, g) => Ordered(grouping, parts.Select(p => p[g])))];
    }

    private static IReadOnlyList<StatsGroup> Ordered(StatsGrouping grouping, IEnumerable<Part> parts)
    {
        var merged = new Part();
        foreach (var part in parts)
        {
            merged.Merge(part);
        }

        var all = merged.All();
        var ordered = grouping == StatsGrouping.Day
            ? all.OrderBy(g => g.Key, StringComparer.Ordinal)
            : all.OrderByDescending(g => g.Calls).ThenBy(g => g.Key is null).ThenBy(g => g.Key, StringComparer.Ordinal);
        return [.. ordered.Select(g => g.ToGroup())];
    }

    /// <summary>The fewest rows worth a part of their own (tests lower it to read a small table in parts).</summary>
    internal static long MinimumPart { get; set; } = 200_000;

    /// <summary>The rowid ranges to read in parallel: one when the table is small or there is one core.</summary>
    private static (long From, long To)?[] Ranges(DbConnection connection)
    {
        var (low, high) = connection.QuerySingle<(long?, long?)>("SELECT min(rowid), max(rowid) FROM prompts");
        var parts = Math.Min(Environment.ProcessorCount, 4);
        if (low is not { } from || high is not { } to || parts < 2 || to - from < MinimumPart * 2)
        {
            return [null];
        }

        var size = ((to - from) / parts) + 1;
        return [.. Enumerable.Range(0, parts).Select(i => ((long From, long To)?)(from + (i * size), i == parts - 1 ? to : from + ((i + 1) * size) - 1))];
    }

    private static Part[] Read(DbConnection connection, string sql, DynamicParameters parameters, IReadOnlyList<StatsGrouping> groupings, PriceTable prices, CancellationToken cancellationToken)
    {
        var parts = groupings.Select(_ => new Part()).ToArray();
        var costs = new CostCache(prices);
        var days = new Dictionary<long, string>();
        var at = groupings.Count;
        using var reader = connection.ExecuteReader(sql, parameters);
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = Row.Read(reader, at, costs);
            for (var g = 0; g < groupings.Count; g++)
            {
                var key = groupings[g] == StatsGrouping.Day ? Day(days, row.InferenceOn) : Text(reader, g);
                parts[g].For(key).Add(row);
            }
        }

        return parts;
    }

    /// <summary>The figures of one selected prompt, read once (and priced once) whatever it is grouped by.</summary>
    private readonly record struct Row(bool Failed, long? Input, long? Output, double? Seconds, double? FirstToken, decimal? Cost, double InferenceOn)
    {
        /// <summary>Reads the columns that follow the keys, from ordinal <paramref name="at"/>.</summary>
        public static Row Read(IDataReader reader, int at, CostCache costs)
        {
            var inferenceOn = reader.GetDouble(at + 9);
            var input = Long(reader, at + 4);
            var cached = Long(reader, at + 5);
            var output = Long(reader, at + 6);
            var cost = input is not null || output is not null
                ? costs.Estimate(Text(reader, at), Text(reader, at + 1), Text(reader, at + 2), input, cached, output, inferenceOn)
                : null;
            return new Row(reader.GetInt32(at + 3) != 0, input, output, Double(reader, at + 7), Double(reader, at + 8), cost, inferenceOn);
        }
    }

    /// <summary>The groups read from one range.</summary>
    private sealed class Part
    {
        private readonly Dictionary<string, Accumulator> _groups = new(StringComparer.Ordinal);
        private Accumulator? _none;

        public Accumulator For(string? key)
        {
            if (key is null)
            {
                return _none ??= new Accumulator(null);
            }

            if (!_groups.TryGetValue(key, out var group))
            {
                group = _groups[key] = new Accumulator(key);
            }

            return group;
        }

        public void Merge(Part other)
        {
            foreach (var group in other.All())
            {
                For(group.Key).Merge(group);
            }
        }

        public List<Accumulator> All() => _none is null ? [.. _groups.Values] : [.. _groups.Values, _none];
    }

    private static string KeyColumn(StatsGrouping grouping) => grouping switch
    {
        StatsGrouping.Model => "p.model",
        StatsGrouping.Namespace => "p.namespace",
        StatsGrouping.Day => "NULL",
        StatsGrouping.Conversation => "p.conversation_id",
        StatsGrouping.User => "p.user_id",
        StatsGrouping.Tag => "t.tag",
        _ => throw new ArgumentOutOfRangeException(nameof(grouping), grouping, "Unknown grouping."),
    };

    private static string Day(Dictionary<long, string> days, double epochSeconds)
    {
        if (epochSeconds is not (>= 0 and < 253_402_300_800d))
        {
            return "invalid date";
        }

        var day = (long)(epochSeconds / 86_400);
        if (!days.TryGetValue(day, out var name))
        {
            name = days[day] = DateTimeOffset.UnixEpoch.AddDays(day).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return name;
    }

    private static string? Text(IDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? Long(IDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    private static double? Double(IDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private sealed class Accumulator(string? key)
    {
        private readonly List<double> _latency = [];
        private readonly List<double> _timeToFirstToken = [];
        private long _errors;
        private long _inputTokens;
        private long _outputTokens;
        private decimal _cost;
        private long _priced;

        public string? Key { get; } = key;

        public long Calls { get; private set; }

        public void Add(Row row)
        {
            Calls++;
            _errors += row.Failed ? 1 : 0;
            _inputTokens += row.Input ?? 0;
            _outputTokens += row.Output ?? 0;
            if (row.Seconds is { } seconds)
            {
                _latency.Add(seconds);
            }

            if (row.FirstToken is { } firstToken)
            {
                _timeToFirstToken.Add(firstToken);
            }

            if (row.Cost is { } cost)
            {
                _cost += cost;
                _priced++;
            }
        }

        public void Merge(Accumulator other)
        {
            Calls += other.Calls;
            _errors += other._errors;
            _inputTokens += other._inputTokens;
            _outputTokens += other._outputTokens;
            _cost += other._cost;
            _priced += other._priced;
            _latency.AddRange(other._latency);
            _timeToFirstToken.AddRange(other._timeToFirstToken);
        }

        public StatsGroup ToGroup() => new(
            Key,
            Calls,
            _errors,
            _inputTokens,
            _outputTokens,
            _priced == 0 ? null : _cost,
            Calls - _priced,
            Percentiles.Of(_latency, 0.50, 0.95, 0.99),
            Percentiles.Of(_timeToFirstToken, 0.50, 0.95));
    }
}
