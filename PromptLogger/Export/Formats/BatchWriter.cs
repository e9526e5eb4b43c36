using System.Buffers;
using System.Data.Common;
using System.Text.Json;
using PromptLogging.Json;
using PromptLogging.Storage;

namespace PromptLogging.Export.Formats;

/// <summary>
/// <c>--format openai-batch</c>: one Batch API request a line for every selected record, failed ones included —
/// <c>custom_id</c> (the record id, unique as the store's key), <c>method</c> <c>POST</c>, <c>url</c>
/// <c>/v1/chat/completions</c>, and a <c>body</c> with <c>model</c>, <c>messages</c>, <c>tools</c> and the recorded
/// generation parameters. A new part is started before a line would pass <see cref="BatchLimits"/>.
/// </summary>
internal static class BatchWriter
{
    public const string Url = "/v1/chat/completions";

    /// <summary>Lines are handed to the output in chunks of about this many bytes.</summary>
    private const int ChunkSize = 1 << 16;

    private static readonly FormatColumns Columns = new(
        PromptColumns.Id, PromptColumns.Model, PromptColumns.Messages, PromptColumns.Tools, PromptColumns.GenerationKwargs);

    private static readonly JsonEncodedText ModelName = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText MessagesName = JsonEncodedText.Encode("messages");
    private static readonly JsonEncodedText ToolsName = JsonEncodedText.Encode("tools");
    private static readonly JsonEncodedText KwargsName = JsonEncodedText.Encode("generation_kwargs");

    /// <summary>The request fields the body takes from the record itself, never from its generation parameters.</summary>
    private static readonly HashSet<string> OwnFields = ["model", "messages", "tools", "stream", "stream_options"];

    /// <summary>Writes the lines; <paramref name="openPart"/> gives the stream of part 1, 2, … as each is needed.</summary>
    public static ExportSummary Write(
        DbConnection connection,
        PromptStore store,
        ExportFilter filter,
        Func<int, Stream> openPart,
        BatchLimits limits,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openPart);
        using var rows = Columns.Rows(connection, store, filter, PromptRecord.ChatKind);
        var rejected = new RejectedJsonValues();
        var line = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(line, JsonDefaults.Writer);
        var part = 1;
        var output = openPart(part);
        var chunk = new ArrayBufferWriter<byte>(ChunkSize * 2);
        long linesInPart = 0, bytesInPart = 0;
        var count = 0;
        while (rows.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            line.ResetWrittenCount();
            writer.Reset();
            WriteRequest(writer, rows, rejected);
            writer.Flush();
            line.GetSpan(1)[0] = (byte)'\n';
            line.Advance(1);
            if (linesInPart > 0 && (linesInPart + 1 > limits.Lines || bytesInPart + line.WrittenCount > limits.Bytes))
            {
                Drain(chunk, output);
                output.Flush();
                output = openPart(++part);
                linesInPart = bytesInPart = 0;
            }

            chunk.Write(line.WrittenSpan);
            if (chunk.WrittenCount >= ChunkSize)
            {
                Drain(chunk, output);
            }

            linesInPart++;
            bytesInPart += line.WrittenCount;
            if (++count % JsonlExporter.ProgressEvery == 0)
            {
                progress?.Report(count);
            }
        }

        Drain(chunk, output);
        output.Flush();
        return new ExportSummary(count, rejected.Count, rejected.First);
    }

    private static void Drain(ArrayBufferWriter<byte> chunk, Stream output)
    {
        output.Write(chunk.WrittenSpan);
        chunk.ResetWrittenCount();
    }

    private static void WriteRequest(Utf8JsonWriter writer, PromptRows row, RejectedJsonValues rejected)
    {
        var id = row.Utf8(Columns[PromptColumns.Id]);
        writer.WriteStartObject();
        writer.WriteString("custom_id", id);
        writer.WriteString("method", "POST");
        writer.WriteString("url", Url);
        writer.WriteStartObject("body");
        writer.WriteStringIfAny(ModelName, row.Utf8(Columns[PromptColumns.Model]));
        using (var messages = StoredJson.Read(row, Columns[PromptColumns.Messages], JsonValueKind.Array, MessagesName, id, rejected))
        {
            if (messages is not null)
            {
                RequestMessages.WriteMessages(writer, "messages", messages.RootElement);
            }
        }

        using (var tools = StoredJson.Read(row, Columns[PromptColumns.Tools], JsonValueKind.Array, ToolsName, id, rejected))
        {
            if (tools is { RootElement: var list } && list.GetArrayLength() > 0)
            {
                RequestMessages.WriteTools(writer, "tools", list);
            }
        }

        using (var kwargs = StoredJson.Read(row, Columns[PromptColumns.GenerationKwargs], JsonValueKind.Object, KwargsName, id, rejected))
        {
            if (kwargs is not null)
            {
                foreach (var property in kwargs.RootElement.EnumerateObject())
                {
                    if (!OwnFields.Contains(property.Name))
                    {
                        property.WriteTo(writer);
                    }
                }
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

}
