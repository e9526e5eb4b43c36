using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using PromptLogging.Json;
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
        var parameters = new DynamicParameters();
        parameters.Add("namespace", filter.Namespace);
        var sql = new StringBuilder("SELECT id AS Id, namespace AS Namespace, name AS Name, version AS Version, provider AS Provider, " +
                                    "description AS Description, created AS Created FROM models WHERE namespace = @namespace");
        AppendIn(sql, "name", filter.Models, (name, value) => parameters.Add(name, value));
        sql.Append(" ORDER BY created, ").Append(store.InsertionOrderColumn);
        var rows = connection.Query<ModelRecord>(sql.ToString(), parameters, buffered: false);
        return new ExportSummary(WriteLines(output, rows, WriteModel, cancellationToken));
    }

    public static ExportSummary ExportChatPrompts(DbConnection connection, PromptStore store, ExportFilter filter, Stream output, CancellationToken cancellationToken = default) =>
        ExportPrompts(connection, store, filter, PromptRecord.ChatKind, output, ChatLayout, cancellationToken);

    public static ExportSummary ExportTextPrompts(DbConnection connection, PromptStore store, ExportFilter filter, Stream output, CancellationToken cancellationToken = default) =>
        ExportPrompts(connection, store, filter, PromptRecord.TextKind, output, TextLayout, cancellationToken);

    private static ExportSummary ExportPrompts(
        DbConnection connection,
        PromptStore store,
        ExportFilter filter,
        string kind,
        Stream output,
        Layout layout,
        CancellationToken cancellationToken)
    {
        // The hot path of a million-row export reads columns by ordinal and copies the stored JSON as UTF-8
        // bytes once checked, with no object per row and no UTF-16 round trip; values are still bound as parameters.
        var parameters = new List<KeyValuePair<string, string>> { new("namespace", filter.Namespace), new("kind", kind) };
        // Only the columns the line writes: every selected column is read out of each row, written or not.
        var sql = new StringBuilder($"SELECT {layout.Select} FROM prompts WHERE namespace = @namespace AND kind = @kind");
        AppendIn(sql, "model", filter.Models, (name, value) => parameters.Add(new(name, value)));
        AppendContext(sql, filter, parameters);

        // Insertion order (SQLite's rowid, PostgreSQL's seq), which an index already follows: no sort, so the export streams.
        sql.Append(" ORDER BY ").Append(store.InsertionOrderColumn);
        using var rows = store.QueryPrompts(connection, sql.ToString(), parameters);
        using var lines = new JsonlBuffer(output);
        var rejected = new RejectedJsonValues();
        var count = 0;
        while (rows.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            WritePrompt(lines.Writer, rows, layout, rejected);
            lines.EndLine();
            count++;
        }

        lines.Complete();
        return new ExportSummary(count, rejected.Count, rejected.First);
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
                WritePrompt(lines.Writer, rows, layout, rejected, (extraName, extra));
                lines.EndLine();
                count++;
            }
        }

        lines.Complete();
        return count;
    }

    /// <summary>
    /// Appends the conversation, user and tag conditions, each backed by an index: (namespace, kind, conversation_id),
    /// (namespace, kind, user_id), and <c>prompt_tags</c>' (tag, prompt_id) — every tag must match.
    /// </summary>
    private static void AppendContext(StringBuilder sql, ExportFilter filter, List<KeyValuePair<string, string>> parameters)
    {
        if (filter.ConversationId is { } conversation)
        {
            sql.Append(" AND conversation_id = @conversation");
            parameters.Add(new("conversation", conversation));
        }

        if (filter.UserId is { } user)
        {
            sql.Append(" AND user_id = @user");
            parameters.Add(new("user", user));
        }

        for (var i = 0; i < filter.Tags.Count; i++)
        {
            var name = "t" + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(" AND id IN (SELECT prompt_id FROM prompt_tags WHERE tag = @").Append(name).Append(')');
            parameters.Add(new(name, filter.Tags[i]));
        }
    }

    /// <summary>Appends <c> AND column IN (@m0, @m1, …)</c> when <paramref name="values"/> restricts the export.</summary>
    private static void AppendIn(StringBuilder sql, string column, IReadOnlyList<string>? values, Action<string, string> addParameter)
    {
        if (values is null)
        {
            return;
        }

        sql.Append(" AND ").Append(column).Append(" IN (");
        for (var i = 0; i < values.Count; i++)
        {
            var name = "m" + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "@" : ", @").Append(name);
            addParameter(name, values[i]);
        }

        sql.Append(')');
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
    private static void WritePrompt(Utf8JsonWriter writer, PromptRows row, Layout layout, RejectedJsonValues rejected, (JsonEncodedText Name, string Value)? extra = null)
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

        if (extra is { } field)
        {
            writer.WriteString(field.Name, field.Value);
        }

        writer.WriteEndObject();
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
        public static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Namespace = JsonEncodedText.Encode("namespace");
        public static readonly JsonEncodedText Provider = JsonEncodedText.Encode("provider");
        public static readonly JsonEncodedText Usage = JsonEncodedText.Encode("usage");
        public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    }
}
