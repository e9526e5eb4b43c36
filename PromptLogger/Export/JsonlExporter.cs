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
    // Column order of the prompt queries; PromptRow reads by these ordinals.
    private const string PromptColumns = """
        id, namespace, model, provider, messages, tools, generation_kwargs, completions, prompt, response,
        input_tokens, output_tokens, error, stream, time_to_first_token_seconds, inference_on, inference_seconds, tags,
        response_model, response_id, system_fingerprint, stream_end
        """;

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
        ExportPrompts(connection, store, filter, PromptRecord.ChatKind, output, WriteChatPrompt, cancellationToken);

    public static ExportSummary ExportTextPrompts(DbConnection connection, PromptStore store, ExportFilter filter, Stream output, CancellationToken cancellationToken = default) =>
        ExportPrompts(connection, store, filter, PromptRecord.TextKind, output, WriteTextPrompt, cancellationToken);

    private static ExportSummary ExportPrompts(
        DbConnection connection,
        PromptStore store,
        ExportFilter filter,
        string kind,
        Stream output,
        Action<Utf8JsonWriter, PromptRows, RejectedJsonValues> write,
        CancellationToken cancellationToken)
    {
        // The hot path of a million-row export reads columns by ordinal and copies the stored JSON as UTF-8
        // bytes once checked, with no object per row and no UTF-16 round trip; values are still bound as parameters.
        var parameters = new List<KeyValuePair<string, string>> { new("namespace", filter.Namespace), new("kind", kind) };
        var sql = new StringBuilder($"SELECT {PromptColumns} FROM prompts WHERE namespace = @namespace AND kind = @kind");
        AppendIn(sql, "model", filter.Models, (name, value) => parameters.Add(new(name, value)));

        // Insertion order (SQLite's rowid, PostgreSQL's seq), which an index already follows: no sort, so the export streams.
        sql.Append(" ORDER BY ").Append(store.InsertionOrderColumn);
        using var rows = store.QueryPrompts(connection, sql.ToString(), parameters);
        using var lines = new JsonlBuffer(output);
        var rejected = new RejectedJsonValues();
        var count = 0;
        while (rows.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            write(lines.Writer, rows, rejected);
            lines.EndLine();
            count++;
        }

        lines.Complete();
        return new ExportSummary(count, rejected.Count, rejected.First);
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

    private static void WriteChatPrompt(Utf8JsonWriter writer, PromptRows row, RejectedJsonValues rejected)
    {
        writer.WriteStartObject();
        writer.WriteStringIfAny(Names.Id, row.Utf8(PromptRow.Id));
        writer.WriteStringIfAny(Names.Namespace, row.Utf8(PromptRow.Namespace));
        writer.WriteStringIfAny(Names.Model, row.Utf8(PromptRow.Model));
        WriteJson(writer, Names.Messages, row, PromptRow.Messages, rejected);
        WriteJson(writer, Names.Tools, row, PromptRow.Tools, rejected);
        WriteJson(writer, Names.GenerationKwargs, row, PromptRow.GenerationKwargs, rejected);
        WriteJson(writer, Names.Completions, row, PromptRow.Completions, rejected);
        writer.WriteSeconds(Names.InferenceOn, row.Double(PromptRow.InferenceOn));
        writer.WriteSeconds(Names.InferenceSeconds, row.Double(PromptRow.InferenceSeconds));
        WriteUsage(writer, row.Long(PromptRow.InputTokens), row.Long(PromptRow.OutputTokens));
        writer.WriteStringIfAny(Names.Error, row.Utf8(PromptRow.Error));
        if (row.Long(PromptRow.Stream) is 1)
        {
            writer.WriteBoolean(Names.Stream, true);
        }

        writer.WriteSeconds(Names.TimeToFirstTokenSeconds, row.Double(PromptRow.TimeToFirstTokenSeconds));
        writer.WriteStringIfAny(Names.Provider, row.Utf8(PromptRow.Provider));
        WriteJson(writer, Names.Tags, row, PromptRow.Tags, rejected);
        writer.WriteStringIfAny(Names.ResponseModel, row.Utf8(PromptRow.ResponseModel));
        writer.WriteStringIfAny(Names.ResponseId, row.Utf8(PromptRow.ResponseId));
        writer.WriteStringIfAny(Names.SystemFingerprint, row.Utf8(PromptRow.SystemFingerprint));
        writer.WriteStringIfAny(Names.StreamEnd, row.Utf8(PromptRow.StreamEnd));
        writer.WriteEndObject();
    }

    private static void WriteTextPrompt(Utf8JsonWriter writer, PromptRows row, RejectedJsonValues rejected)
    {
        writer.WriteStartObject();
        writer.WriteStringIfAny(Names.Id, row.Utf8(PromptRow.Id));
        writer.WriteStringIfAny(Names.Namespace, row.Utf8(PromptRow.Namespace));
        writer.WriteStringIfAny(Names.Prompt, row.Utf8(PromptRow.Prompt));
        writer.WriteStringIfAny(Names.Response, row.Utf8(PromptRow.Response));
        writer.WriteSeconds(Names.InferenceOn, row.Double(PromptRow.InferenceOn));
        writer.WriteStringIfAny(Names.Model, row.Utf8(PromptRow.Model));
        writer.WriteSeconds(Names.InferenceSeconds, row.Double(PromptRow.InferenceSeconds));
        writer.WriteStringIfAny(Names.Error, row.Utf8(PromptRow.Error));
        writer.WriteStringIfAny(Names.Provider, row.Utf8(PromptRow.Provider));
        WriteJson(writer, Names.Tags, row, PromptRow.Tags, rejected);
        writer.WriteStringIfAny(Names.ResponseModel, row.Utf8(PromptRow.ResponseModel));
        writer.WriteStringIfAny(Names.ResponseId, row.Utf8(PromptRow.ResponseId));
        writer.WriteStringIfAny(Names.SystemFingerprint, row.Utf8(PromptRow.SystemFingerprint));
        writer.WriteStringIfAny(Names.StreamEnd, row.Utf8(PromptRow.StreamEnd));
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
            rejected.Add(name, row.Utf8(PromptRow.Id));
        }
    }

    private static void WriteUsage(Utf8JsonWriter writer, long? inputTokens, long? outputTokens)
    {
        if (inputTokens is null && outputTokens is null)
        {
            return;
        }

        writer.WriteStartObject(Names.Usage);
        if (inputTokens is { } input)
        {
            writer.WriteNumber(Names.InputTokens, input);
        }

        if (outputTokens is { } output)
        {
            writer.WriteNumber(Names.OutputTokens, output);
        }

        writer.WriteEndObject();
    }

    /// <summary>Property names encoded once, not once a row.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Created = JsonEncodedText.Encode("created");
        public static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
        public static readonly JsonEncodedText Completions = JsonEncodedText.Encode("completions");
        public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
        public static readonly JsonEncodedText GenerationKwargs = JsonEncodedText.Encode("generation_kwargs");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText InferenceOn = JsonEncodedText.Encode("inference_on");
        public static readonly JsonEncodedText InferenceSeconds = JsonEncodedText.Encode("inference_seconds");
        public static readonly JsonEncodedText InputTokens = JsonEncodedText.Encode("input_tokens");
        public static readonly JsonEncodedText Messages = JsonEncodedText.Encode("messages");
        public static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
        public static readonly JsonEncodedText Namespace = JsonEncodedText.Encode("namespace");
        public static readonly JsonEncodedText OutputTokens = JsonEncodedText.Encode("output_tokens");
        public static readonly JsonEncodedText Prompt = JsonEncodedText.Encode("prompt");
        public static readonly JsonEncodedText Provider = JsonEncodedText.Encode("provider");
        public static readonly JsonEncodedText Response = JsonEncodedText.Encode("response");
        public static readonly JsonEncodedText ResponseId = JsonEncodedText.Encode("response_id");
        public static readonly JsonEncodedText ResponseModel = JsonEncodedText.Encode("response_model");
        public static readonly JsonEncodedText Stream = JsonEncodedText.Encode("stream");
        public static readonly JsonEncodedText StreamEnd = JsonEncodedText.Encode("stream_end");
        public static readonly JsonEncodedText SystemFingerprint = JsonEncodedText.Encode("system_fingerprint");
        public static readonly JsonEncodedText Tags = JsonEncodedText.Encode("tags");
        public static readonly JsonEncodedText TimeToFirstTokenSeconds = JsonEncodedText.Encode("time_to_first_token_seconds");
        public static readonly JsonEncodedText Tools = JsonEncodedText.Encode("tools");
        public static readonly JsonEncodedText Usage = JsonEncodedText.Encode("usage");
    }
}
