using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using PromptLogging.Json;
using PromptLogging.Storage;

namespace PromptLogging.Export.Formats;

/// <summary>
/// <c>--format openai-ft</c>: one OpenAI chat fine-tuning example a line — <c>messages</c> (the request's) followed by
/// the recorded reply as an assistant message, and <c>tools</c> and <c>parallel_tool_calls</c> at the top level when
/// the call had them. A record that failed or has no reply (no completion, or one with neither text nor tool calls)
/// is left out and counted; with dedupe, an example identical byte for byte to an earlier one is dropped and counted.
/// </summary>
internal static class FineTuningWriter
{
    private static readonly FormatColumns Columns = new(
        PromptColumns.Id, PromptColumns.Messages, PromptColumns.Tools, PromptColumns.GenerationKwargs, PromptColumns.Completions, PromptColumns.Error);

    private static readonly JsonEncodedText MessagesName = JsonEncodedText.Encode("messages");
    private static readonly JsonEncodedText ToolsName = JsonEncodedText.Encode("tools");
    private static readonly JsonEncodedText CompletionsName = JsonEncodedText.Encode("completions");
    private static readonly JsonEncodedText KwargsName = JsonEncodedText.Encode("generation_kwargs");

    public static ExportSummary Write(
        DbConnection connection, PromptStore store, ExportFilter filter, Stream output, bool dedupe, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        using var rows = Columns.Rows(connection, store, filter, PromptRecord.ChatKind);
        using var lines = new JsonlBuffer(output);
        var rejected = new RejectedJsonValues();
        var seen = dedupe ? new HashSet<UInt128>() : null;
        int count = 0, leftOut = 0, duplicates = 0, read = 0;
        var example = new System.Buffers.ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(example, JsonDefaults.Writer);
        while (rows.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++read % JsonlExporter.ProgressEvery == 0)
            {
                progress?.Report(read);
            }

            example.ResetWrittenCount();
            writer.Reset();
            if (!TryWriteExample(writer, rows, rejected))
            {
                leftOut++;
                continue;
            }

            writer.Flush();
            if (seen is not null && !seen.Add(Hash(example.WrittenSpan)))
            {
                duplicates++;
                continue;
            }

            lines.Writer.WriteRawValue(example.WrittenSpan, skipInputValidation: true);
            lines.EndLine();
            count++;
        }

        lines.Complete();
        return new ExportSummary(count, rejected.Count, rejected.First) { LeftOut = leftOut, Duplicates = duplicates };
    }

    private static bool TryWriteExample(Utf8JsonWriter writer, PromptRows row, RejectedJsonValues rejected)
    {
        var id = row.Utf8(Columns[PromptColumns.Id]);
        if (!row.Utf8(Columns[PromptColumns.Error]).IsEmpty)
        {
            return false;
        }

        using var completions = StoredJson.Read(row, Columns[PromptColumns.Completions], JsonValueKind.Array, CompletionsName, id, rejected);
        if (completions is null || completions.RootElement.GetArrayLength() == 0 || !RequestMessages.IsReply(completions.RootElement[0]))
        {
            return false;
        }

        using var messages = StoredJson.Read(row, Columns[PromptColumns.Messages], JsonValueKind.Array, MessagesName, id, rejected);
        if (messages is null)
        {
            return false;
        }

        using var tools = StoredJson.Read(row, Columns[PromptColumns.Tools], JsonValueKind.Array, ToolsName, id, rejected);
        using var kwargs = StoredJson.Read(row, Columns[PromptColumns.GenerationKwargs], JsonValueKind.Object, KwargsName, id, rejected);
        writer.WriteStartObject();
        writer.WriteStartArray("messages");
        foreach (var message in messages.RootElement.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object)
            {
                RequestMessages.WriteMessage(writer, message, role: null);
            }
        }

        // The first choice is the reply (a call asking for several, n > 1, trains on the first).
        RequestMessages.WriteMessage(writer, completions.RootElement[0], role: "assistant");
        writer.WriteEndArray();
        if (tools is { RootElement: var toolList } && toolList.GetArrayLength() > 0)
        {
            RequestMessages.WriteTools(writer, "tools", toolList);
        }

        if (kwargs is not null && kwargs.RootElement.TryGetProperty("parallel_tool_calls", out var parallel) && parallel.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            writer.WriteBoolean("parallel_tool_calls", parallel.GetBoolean());
        }

        writer.WriteEndObject();
        return true;
    }

    private static UInt128 Hash(ReadOnlySpan<byte> example)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(example, hash);
        return new UInt128(BitConverter.ToUInt64(hash), BitConverter.ToUInt64(hash[8..]));
    }
}
