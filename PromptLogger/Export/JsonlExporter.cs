using System.Data.Common;
using System.Text;
using System.Text.Json;
using Dapper;
using PromptLogging.Json;
using PromptLogging.Pricing;
using PromptLogging.Storage;

namespace PromptLogging.Export;

/// <summary>
/// Streams rows from the store to JSONL in the shapes of the Python prompt-logger package: one object per <c>\n</c>-terminated line, UTF-8
/// without BOM, its fields in its order first and PromptLogger's additions after, empties left out.
/// </summary>
/// <remarks>Rows are read one at a time (unbuffered), so memory stays flat however large the database.</remarks>
internal static class JsonlExporter
{
    // Both stores: '@name' parameters (SQLite and Npgsql both take them), and the model list spelled out as
    // parameters rather than left to Dapper, which expands a list for SQLite but sends an array to Npgsql.
    public static ExportSummary ExportModels(DbConnection connection, PromptStore store, ExportFilter filter, Stream output, CancellationToken cancellationToken = default)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        var sql = new StringBuilder("SELECT id AS Id, namespace AS Namespace, name AS Name, version AS Version, provider AS Provider, " +
                                    "description AS Description, created AS Created FROM models WHERE 1 = 1");
        if (filter.Namespace is { } @namespace)
        {
            sql.Append(" AND namespace = @namespace");
            parameters.Add(new("namespace", @namespace));
        }

        FilterSql.AppendIn(sql, "name", filter.Models, parameters);
        sql.Append(" ORDER BY created, ").Append(store.InsertionOrderColumn);
        var rows = connection.Query<ModelRecord>(sql.ToString(), FilterSql.ToDapper(parameters), buffered: false);
        return new ExportSummary(WriteLines(output, rows, WriteModel, cancellationToken));
    }

    /// <summary>
    /// The chat prompts; with <paramref name="prices"/>, each line whose model they price ends with
    /// <c>estimated_cost_usd</c> (computed when read, never stored).
    /// </summary>
    public static ExportSummary ExportChatPrompts(
        DbConnection connection, PromptStore store, ExportFilter filter, Stream output, PriceTable? prices, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        ExportPrompts(connection, store, filter, PromptRecord.ChatKind, output, ChatLayout, prices, progress, null, cancellationToken);

    public static ExportSummary ExportChatPrompts(DbConnection connection, PromptStore store, ExportFilter filter, Stream output, CancellationToken cancellationToken = default) =>
        ExportChatPrompts(connection, store, filter, output, null, null, cancellationToken);

    /// <summary>One record's line, by its full id, as the export writes it (<c>show --json</c>, <c>list --json</c>).</summary>
    public static ExportSummary ExportOne(DbConnection connection, PromptStore store, string kind, string id, Stream output, PriceTable? prices) =>
        ExportPrompts(connection, store, new ExportFilter(null, null) { Kind = kind }, kind, output,
            kind == PromptRecord.TextKind ? TextLayout : ChatLayout, kind == PromptRecord.TextKind ? null : prices, null, id, CancellationToken.None);

    public static ExportSummary ExportTextPrompts(DbConnection connection, PromptStore store, ExportFilter filter, Stream output, CancellationToken cancellationToken = default) =>
        ExportTextPrompts(connection, store, filter, output, null, cancellationToken);

    /// <summary>The text prompts; <paramref name="progress"/> told the count written now and then.</summary>
    public static ExportSummary ExportTextPrompts(DbConnection connection, PromptStore store, ExportFilter filter, Stream output, IProgress<int>? progress, CancellationToken cancellationToken) =>
        ExportPrompts(connection, store, filter, PromptRecord.TextKind, output, TextLayout, null, progress, null, cancellationToken);

    private static ExportSummary ExportPrompts(
        DbConnection connection,
        PromptStore store,
        ExportFilter filter,
        string kind,
        Stream output,
        Layout layout,
        PriceTable? prices,
        IProgress<int>? progress,
        string? onlyId,
        CancellationToken cancellationToken)
    {
        // The hot path of a million-row export reads columns by ordinal and copies the stored JSON as UTF-8
        // bytes once checked, with no object per row and no UTF-16 round trip; values are still bound as parameters.
        // Only the columns the line writes: every selected column is read out of each row, written or not.
        // What pricing reads comes after the line's own columns: their ordinals start at layout.Columns.Length.
        var select = prices is null ? layout.Select : $"{layout.Select}, {PricingColumns}";
        using var rows = SelectRows(connection, store, filter, kind, select, onlyId);
        using var lines = new JsonlBuffer(output);
        var rejected = new RejectedJsonValues();
        var pricing = prices is null ? null : new RowPricing(prices, layout.Columns.Length);
        var count = 0;
        while (rows.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            WritePrompt(lines.Writer, rows, layout, rejected, pricing);
            lines.EndLine();
            count++;
            if (progress is not null && count % ProgressEvery == 0)
            {
                progress.Report(count);
            }
        }

        lines.Complete();
        return new ExportSummary(count, rejected.Count, rejected.First);
    }

    /// <summary>
    /// The rows of <paramref name="kind"/> that <paramref name="filter"/> selects (or the one <paramref name="onlyId"/>),
    /// with the columns <paramref name="select"/> names, in the export's order; every export format reads through this.
    /// </summary>
    internal static PromptRows SelectRows(DbConnection connection, PromptStore store, ExportFilter filter, string kind, string select, string? onlyId = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        var parameters = new List<KeyValuePair<string, string>>();
        var sql = new StringBuilder($"SELECT {select} FROM prompts");
        FilterSql.AppendWhere(sql, filter with { Kind = kind }, parameters);
        if (onlyId is not null)
        {
            sql.Append(" AND id = @id");
            parameters.Add(new("id", onlyId));
        }

        // Insertion order (SQLite's rowid, PostgreSQL's seq), which an index already follows: no sort, so the export streams.
        // A time window is read through the time index, in its order (the time, then insertion order): ordering by
        // insertion alone made SQLite walk the whole namespace by the (namespace, kind) index instead.
        sql.Append(" ORDER BY ");
        if (filter.Since is not null || filter.Until is not null)
        {
            sql.Append("inference_on, ");
        }

        sql.Append(store.InsertionOrderColumn);
        return store.QueryPrompts(connection, sql.ToString(), parameters);
    }

    /// <summary>
    /// The seed's lines of the prompts <paramref name="ids"/>, in that order, each followed by one field of PromptLogger's
    /// (<c>search</c> adds its <c>snippet</c>); an id no longer stored is skipped.
    /// </summary>
    public static int ExportPromptsById(
        DbConnection connection,
        PromptStore store,
        bool text,
        IReadOnlyList<(string Id, string Extra)> ids,
        JsonEncodedText extraName,
        Stream output)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ids);
        var layout = text ? TextLayout : ChatLayout;
        var sql = $"SELECT {layout.Select} FROM prompts WHERE id = @id";
        using var lines = new JsonlBuffer(output);
        var rejected = new RejectedJsonValues();
        var count = 0;
        foreach (var (id, extra) in ids)
        {
            using var rows = store.QueryPrompts(connection, sql, [new("id", id)]);
            if (rows.Read())
            {
                WritePrompt(lines.Writer, rows, layout, rejected, pricing: null, (extraName, extra));
                lines.EndLine();
                count++;
            }
        }

        lines.Complete();
        return count;
    }

    private static int WriteLines<T>(Stream output, IEnumerable<T> rows, Action<Utf8JsonWriter, T> write, CancellationToken cancellationToken)
    {
        var count = 0;
        using var lines = new JsonlBuffer(output);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            write(lines.Writer, row);
            lines.EndLine();
            count++;
        }

        lines.Complete();
        return count;
    }

    private static void WriteModel(Utf8JsonWriter writer, ModelRecord model)
    {
        writer.WriteStartObject();
        writer.WriteStringIfAny(Names.Id, model.Id);
        writer.WriteStringIfAny(Names.Namespace, model.Namespace);
        writer.WriteStringIfAny(Names.Name, model.Name);
        writer.WriteStringIfAny(Names.Provider, model.Provider);
        writer.WriteSeconds(Names.Created, model.Created);
        writer.WriteStringIfAny(Names.Version, model.Version);
        writer.WriteStringIfAny(Names.Description, model.Description);
        writer.WriteEndObject();
    }

    /// <summary>One export line: the layout's columns in its order, each as its <see cref="ExportStyle"/> says.</summary>
    private static void WritePrompt(Utf8JsonWriter writer, PromptRows row, Layout layout, RejectedJsonValues rejected, RowPricing? pricing, (JsonEncodedText Name, string Value)? extra = null)
    {
        writer.WriteStartObject();
        var columns = layout.Columns;
        for (var ordinal = 0; ordinal < columns.Length; ordinal++)
        {
            var column = columns[ordinal];
            switch (column.Export)
            {
                case ExportStyle.String:
                    writer.WriteStringIfAny(column.ExportName, row.Utf8(ordinal));
                    break;
                case ExportStyle.Json:
                    WriteJson(writer, column.ExportName, row, ordinal, rejected);
                    break;
                case ExportStyle.Seconds:
                    writer.WriteSeconds(column.ExportName, row.Double(ordinal));
                    break;
                case ExportStyle.TrueFlag when row.Long(ordinal) is 1:
                    writer.WriteBoolean(column.ExportName, true);
                    break;
                case ExportStyle.Usage when ordinal == layout.Usage[0]:
                    WriteUsage(writer, row, layout);
                    break;
            }
        }

        if (pricing?.Cost(row) is { } cost)
        {
            writer.WriteNumber(Names.EstimatedCost, cost);
        }

        if (extra is { } field)
        {
            writer.WriteString(field.Name, field.Value);
        }

        writer.WriteEndObject();
    }

    /// <summary>How many prompts between two progress reports.</summary>
    internal const int ProgressEvery = 10_000;

    internal const string PricingColumns = "model, response_model, provider, input_tokens, cached_input_tokens, output_tokens, inference_on";

    /// <summary>
    /// The estimated cost of each row from the <see cref="PricingColumns"/> (selected after the line's own columns);
    /// the model, response model and provider names are decoded once while they repeat from row to row.
    /// </summary>
    internal sealed class RowPricing(PriceTable prices, int first)
    {
        private readonly CachedText _model = new();
        private readonly CachedText _responseModel = new();
        private readonly CachedText _provider = new();

        public decimal? Cost(PromptRows row)
        {
            var input = row.Long(first + 3);
            var output = row.Long(first + 5);
            if (input is null && output is null)
            {
                return null;
            }

            var at = EpochSeconds.ToTime(row.Double(first + 6) ?? 0);
            var cost = prices.EstimateCost(
                _model.Get(row.Utf8(first)), _responseModel.Get(row.Utf8(first + 1)), _provider.Get(row.Utf8(first + 2)),
                input, row.Long(first + 4), output, at);
            return cost is { } usd ? Math.Round(usd, 10) : null;
        }
    }

    /// <summary>A text column as a string, decoded again only when its bytes differ from the previous row's.</summary>
    private sealed class CachedText
    {
        private byte[] _bytes = [];
        private string? _text;

        public string? Get(ReadOnlySpan<byte> utf8)
        {
            if (utf8.IsEmpty)
            {
                return null;
            }

            if (!utf8.SequenceEqual(_bytes))
            {
                _bytes = utf8.ToArray();
                _text = Encoding.UTF8.GetString(utf8);
            }

            return _text;
        }
    }

    /// <summary>
    /// A stored JSON column, checked first: a value that is not exactly one JSON value is left out of the line (and
    /// counted), so that whatever a row holds, it is one line of valid JSON.
    /// </summary>
    private static void WriteJson(Utf8JsonWriter writer, JsonEncodedText name, PromptRows row, int ordinal, RejectedJsonValues rejected)
    {
        if (!writer.TryWriteJsonIfAny(name, row.Utf8(ordinal)))
        {
            rejected.Add(name, row.Utf8(Layout.IdOrdinal));
        }
    }

    /// <summary>The usage columns, in order, in one <c>usage</c> object; nothing when none has a value.</summary>
    private static void WriteUsage(Utf8JsonWriter writer, PromptRows row, Layout layout)
    {
        var started = false;
        foreach (var ordinal in layout.Usage)
        {
            var column = layout.Columns[ordinal];
            if (row.Long(ordinal) is not { } tokens)
            {
                continue;
            }

            if (!started)
            {
                writer.WriteStartObject(Names.Usage);
                started = true;
            }

            writer.WriteNumber(column.ExportName, tokens);
        }

        if (started)
        {
            writer.WriteEndObject();
        }
    }

    private static readonly Layout ChatLayout = new(PromptColumns.ChatExport);
    private static readonly Layout TextLayout = new(PromptColumns.TextExport);

    /// <summary>
    /// An export line's columns, in its order, which is also the order its query selects them in (a column's ordinal in
    /// the query is its index here); and the ordinals of the ones written inside <c>usage</c>.
    /// </summary>
    private sealed class Layout
    {
        /// <summary>Both layouts start with the id, which a rejected value is reported by.</summary>
        public const int IdOrdinal = 0;

        public Layout(IReadOnlyList<PromptColumn> columns)
        {
            Columns = [.. columns];
            if (Columns[IdOrdinal] != PromptColumns.Id)
            {
                throw new InvalidOperationException("An export line starts with the id.");
            }

            Usage = [.. Enumerable.Range(0, Columns.Length).Where(i => Columns[i].Export == ExportStyle.Usage)];
            Select = string.Join(", ", Columns.Select(c => c.Name));
        }

        public PromptColumn[] Columns { get; }

        public int[] Usage { get; }

        public string Select { get; }
    }

    /// <summary>Property names encoded once, not once a row.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Created = JsonEncodedText.Encode("created");
        public static readonly JsonEncodedText EstimatedCost = JsonEncodedText.Encode("estimated_cost_usd");
        public static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Namespace = JsonEncodedText.Encode("namespace");
        public static readonly JsonEncodedText Provider = JsonEncodedText.Encode("provider");
        public static readonly JsonEncodedText Usage = JsonEncodedText.Encode("usage");
        public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    }
}
