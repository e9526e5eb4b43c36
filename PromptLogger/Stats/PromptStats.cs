using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Storage.Queries;

namespace PromptLogging.Stats;

/// <summary>
/// Calls, errors, tokens, estimated cost and latency percentiles per group of the prompts a filter selects: one pass
/// over the selection's few numeric columns; the percentiles are exact, computed here over every selected value
/// (SQLite has no percentile function), the cost priced call by call (a price depends on the call's date and size).
/// </summary>
internal static class PromptStats
{
    /// <summary>The groups, largest first (by day: oldest first).</summary>
    public static IReadOnlyList<StatsGroup> Run(
        DbConnection connection,
        ExportFilter filter,
        string kind,
        StatsGrouping grouping,
        PriceTable prices,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(prices);
        var parameters = new DynamicParameters();
        var sql = new StringBuilder("SELECT ")
            .Append(KeyColumn(grouping))
            .Append(", p.model, p.response_model, p.provider, CASE WHEN p.error IS NULL THEN 0 ELSE 1 END, p.input_tokens, p.cached_input_tokens, ")
            .Append("p.output_tokens, p.inference_seconds, p.time_to_first_token_seconds, p.inference_on FROM prompts p")
            .Append(grouping == StatsGrouping.Tag ? " LEFT JOIN prompt_tags t ON t.prompt_id = p.id" : string.Empty)
            .Append(" WHERE 1 = 1");
        SelectionConditions.Append(sql, filter, kind, "p", parameters);

        var groups = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        Accumulator? none = null;
        var costs = new CostCache(prices);
        using (var reader = connection.ExecuteReader(sql.ToString(), parameters))
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var inferenceOn = reader.GetDouble(10);
                var key = grouping == StatsGrouping.Day ? Day(inferenceOn) : Text(reader, 0);
                Accumulator group;
                if (key is null)
                {
                    group = none ??= new Accumulator(null);
                }
                else if (!groups.TryGetValue(key, out group!))
                {
                    group = groups[key] = new Accumulator(key);
                }

                group.Add(reader, costs, inferenceOn);
            }
        }

        var all = none is null ? groups.Values.ToList() : [.. groups.Values, none];
        var ordered = grouping == StatsGrouping.Day
            ? all.OrderBy(g => g.Key, StringComparer.Ordinal)
            : all.OrderByDescending(g => g.Calls).ThenBy(g => g.Key is null).ThenBy(g => g.Key, StringComparer.Ordinal);
        return [.. ordered.Select(g => g.ToGroup())];
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

    private static string Day(double epochSeconds) =>
        epochSeconds is >= 0 and < 253_402_300_800d
            ? DateTimeOffset.UnixEpoch.AddSeconds(epochSeconds).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : "invalid date";

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

        public void Add(IDataReader reader, CostCache costs, double inferenceOn)
        {
            Calls++;
            _errors += reader.GetInt32(4);
            var input = Long(reader, 5);
            var cached = Long(reader, 6);
            var output = Long(reader, 7);
            _inputTokens += input ?? 0;
            _outputTokens += output ?? 0;
            if (Double(reader, 8) is { } seconds)
            {
                _latency.Add(seconds);
            }

            if (Double(reader, 9) is { } firstToken)
            {
                _timeToFirstToken.Add(firstToken);
            }

            if ((input is not null || output is not null) &&
                costs.Estimate(Text(reader, 1), Text(reader, 2), Text(reader, 3), input, cached, output, inferenceOn) is { } cost)
            {
                _cost += cost;
                _priced++;
            }
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
