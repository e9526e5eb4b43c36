using System.Data.Common;
using System.Text.Json;
using Dapper;
using PromptLogging.Json;
using PromptLogging.Storage;

namespace PromptLogging.Export;

/// <summary>
/// Streams rows from the store to JSONL in the seed's shapes: one object per <c>\n</c>-terminated line, UTF-8
/// without BOM, the seed's fields in the seed's order first and PromptLogger's additions after, empties left out.
/// </summary>
/// <remarks>Rows are read one at a time (unbuffered), so memory stays flat however large the database.</remarks>
internal static class JsonlExporter
{
    private const string ChatColumns = """
        id AS Id, namespace AS Namespace, kind AS Kind, model AS Model, provider AS Provider, messages AS Messages,
        tools AS Tools, generation_kwargs AS GenerationKwargs, completions AS Completions,
        input_tokens AS InputTokens, output_tokens AS OutputTokens, error AS Error, stream AS Stream,
        time_to_first_token_seconds AS TimeToFirstTokenSeconds, inference_on AS InferenceOn,
        inference_seconds AS InferenceSeconds, tags AS Tags
        """;

    private const string TextColumns = """
        id AS Id, namespace AS Namespace, kind AS Kind, model AS Model, provider AS Provider, prompt AS Prompt,
        response AS Response, error AS Error, inference_on AS InferenceOn, inference_seconds AS InferenceSeconds,
        tags AS Tags
        """;

    public static int ExportModels(DbConnection connection, ExportFilter filter, Stream output)
    {
        var sql = "SELECT id AS Id, namespace AS Namespace, name AS Name, version AS Version, provider AS Provider, " +
                  "description AS Description, created AS Created FROM models WHERE namespace = @Namespace" +
                  (filter.Models is null ? string.Empty : " AND name IN @Models") + " ORDER BY created, rowid";
        var rows = connection.Query<ModelRecord>(sql, filter, buffered: false);
        return WriteLines(output, rows, WriteModel);
    }

    public static int ExportChatPrompts(DbConnection connection, ExportFilter filter, Stream output) =>
        WriteLines(output, QueryPrompts(connection, filter, PromptRecord.ChatKind, ChatColumns), WriteChatPrompt);

    public static int ExportTextPrompts(DbConnection connection, ExportFilter filter, Stream output) =>
        WriteLines(output, QueryPrompts(connection, filter, PromptRecord.TextKind, TextColumns), WriteTextPrompt);

    private static IEnumerable<PromptRecord> QueryPrompts(DbConnection connection, ExportFilter filter, string kind, string columns)
    {
        // rowid order is insertion order: no sort, so the export streams.
        var sql = $"SELECT {columns} FROM prompts WHERE namespace = @Namespace AND kind = @Kind" +
                  (filter.Models is null ? string.Empty : " AND model IN @Models") + " ORDER BY rowid";
        return connection.Query<PromptRecord>(sql, new { filter.Namespace, filter.Models, Kind = kind }, buffered: false);
    }

    private static int WriteLines<T>(Stream output, IEnumerable<T> rows, Action<Utf8JsonWriter, T> write)
    {
        var count = 0;
        using var writer = new Utf8JsonWriter(output, JsonDefaults.Writer);
        foreach (var row in rows)
        {
            write(writer, row);
            writer.Flush();
            output.WriteByte((byte)'\n');
            writer.Reset();
            count++;
        }

        output.Flush();
        return count;
    }

    private static void WriteModel(Utf8JsonWriter writer, ModelRecord model)
    {
        writer.WriteStartObject();
        writer.WriteStringIfAny("id", model.Id);
        writer.WriteStringIfAny("namespace", model.Namespace);
        writer.WriteStringIfAny("name", model.Name);
        writer.WriteStringIfAny("provider", model.Provider);
        writer.WriteSeconds("created", model.Created);
        writer.WriteStringIfAny("version", model.Version);
        writer.WriteStringIfAny("description", model.Description);
        writer.WriteEndObject();
    }

    private static void WriteChatPrompt(Utf8JsonWriter writer, PromptRecord prompt)
    {
        writer.WriteStartObject();
        writer.WriteStringIfAny("id", prompt.Id);
        writer.WriteStringIfAny("namespace", prompt.Namespace);
        writer.WriteStringIfAny("model", prompt.Model);
        writer.WriteRawIfAny("messages", prompt.Messages);
        writer.WriteRawIfAny("tools", prompt.Tools);
        writer.WriteRawIfAny("generation_kwargs", prompt.GenerationKwargs);
        writer.WriteRawIfAny("completions", prompt.Completions);
        writer.WriteSeconds("inference_on", prompt.InferenceOn);
        writer.WriteSeconds("inference_seconds", prompt.InferenceSeconds);
        WriteUsage(writer, prompt);
        writer.WriteStringIfAny("error", prompt.Error);
        if (prompt.Stream)
        {
            writer.WriteBoolean("stream", true);
        }

        writer.WriteSeconds("time_to_first_token_seconds", prompt.TimeToFirstTokenSeconds);
        writer.WriteStringIfAny("provider", prompt.Provider);
        writer.WriteRawIfAny("tags", prompt.Tags);
        writer.WriteEndObject();
    }

    private static void WriteTextPrompt(Utf8JsonWriter writer, PromptRecord prompt)
    {
        writer.WriteStartObject();
        writer.WriteStringIfAny("id", prompt.Id);
        writer.WriteStringIfAny("namespace", prompt.Namespace);
        writer.WriteStringIfAny("prompt", prompt.Prompt);
        writer.WriteStringIfAny("response", prompt.Response);
        writer.WriteSeconds("inference_on", prompt.InferenceOn);
        writer.WriteStringIfAny("model", prompt.Model);
        writer.WriteSeconds("inference_seconds", prompt.InferenceSeconds);
        writer.WriteStringIfAny("error", prompt.Error);
        writer.WriteStringIfAny("provider", prompt.Provider);
        writer.WriteRawIfAny("tags", prompt.Tags);
        writer.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter writer, PromptRecord prompt)
    {
        if (prompt.InputTokens is null && prompt.OutputTokens is null)
        {
            return;
        }

        writer.WriteStartObject("usage");
        if (prompt.InputTokens is { } input)
        {
            writer.WriteNumber("input_tokens", input);
        }

        if (prompt.OutputTokens is { } output)
        {
            writer.WriteNumber("output_tokens", output);
        }

        writer.WriteEndObject();
    }
}
