using System.Data.Common;
using System.Globalization;
using CsvHelper;
using PromptLogging.Json;
using PromptLogging.Pricing;
using PromptLogging.Storage;

namespace PromptLogging.Export.Formats;

/// <summary>
/// <c>--format csv</c>: RFC 4180 through CsvHelper (comma-separated, CRLF line ends, a field quoted when it holds a
/// comma, a quote or a line break), a header row of the export's field names, then one record a row. The columns are the
/// export line's fields in its order, each usage count a column of its own (<c>input_tokens</c>, …); lists and objects
/// as their JSON text, checked as every export checks a stored value (one that is not valid JSON is an empty cell,
/// counted); times as epoch seconds; <c>stream</c> as <c>true</c> or empty. Chat rows end with
/// <c>estimated_cost_usd</c>, as the JSONL lines do (empty where the price table does not know the model).
/// </summary>
/// <remarks>
/// Cells hold the values as stored: a text cell starting with <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> is not
/// prefixed with <c>'</c> (OWASP's advice against formula injection), which would change the value for every program
/// reading the file as data. Lists and objects start with <c>[</c> or <c>{</c>; the cells a spreadsheet could take for
/// a formula are the plain text ones (errors, ids, names, and a text prompt's prompt and response).
/// </remarks>
internal static class CsvPromptWriter
{
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default;

    private const string EstimatedCost = "estimated_cost_usd";

    /// <summary>Writes the rows of <paramref name="kind"/>; <paramref name="prices"/> (chat only) for <c>estimated_cost_usd</c>.</summary>
    public static ExportSummary Write(
        DbConnection connection,
        PromptStore store,
        ExportFilter filter,
        string kind,
        Stream output,
        PriceTable? prices,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        var exported = kind == PromptRecord.TextKind ? PromptColumns.TextExport : PromptColumns.ChatExport;
        var select = new FormatColumns([.. exported]).Select;
        // What pricing reads comes after the exported columns, as in the JSONL export.
        var pricing = prices is null ? null : new JsonlExporter.RowPricing(prices, exported.Count);
        using var rows = JsonlExporter.SelectRows(connection, store, filter, kind, pricing is null ? select : $"{select}, {JsonlExporter.PricingColumns}");
        using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        string[] header = [.. exported.Select(c => c.Name)];
        csv.WriteHeader(pricing is null ? header : [.. header, EstimatedCost]);
        var rejected = new RejectedJsonValues();
        var count = 0;
        while (rows.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var ordinal = 0; ordinal < exported.Count; ordinal++)
            {
                WriteCell(csv, rows, exported[ordinal], ordinal, rejected);
            }

            if (pricing is not null)
            {
                csv.WriteField(pricing.Cost(rows)?.ToString(CultureInfo.InvariantCulture));
            }

            csv.EndRecord();
            if (++count % JsonlExporter.ProgressEvery == 0)
            {
                progress?.Report(count);
            }
        }

        csv.Flush();
        return new ExportSummary(count, rejected.Count, rejected.First);
    }

    private static void WriteCell(CsvWriter csv, PromptRows row, PromptColumn column, int ordinal, RejectedJsonValues rejected)
    {
        switch (column.Export)
        {
            case ExportStyle.Json:
                var json = row.Utf8(ordinal);
                if (json.IsEmpty || json.SequenceEqual("null"u8) || json.SequenceEqual("[]"u8) || json.SequenceEqual("{}"u8))
                {
                    csv.WriteField(ReadOnlySpan<byte>.Empty);
                }
                else if (!JsonColumn.IsSingleValue(json))
                {
                    rejected.Add(column.ExportName, row.Utf8(0));
                    csv.WriteField(ReadOnlySpan<byte>.Empty);
                }
                else
                {
                    // A value stored over several lines is written compactly, as in the JSONL export.
                    csv.WriteField(json.IndexOfAny((byte)'\n', (byte)'\r') < 0 ? json : Compact(json));
                }

                break;
            case ExportStyle.Seconds:
                csv.WriteField(Seconds(row.Double(ordinal)));
                break;
            case ExportStyle.TrueFlag:
                csv.WriteField(row.Long(ordinal) is 1 ? "true" : null);
                break;
            case ExportStyle.Usage:
                csv.WriteField(row.Long(ordinal)?.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                csv.WriteField(row.Utf8(ordinal));
                break;
        }
    }

    /// <summary>Seconds as the JSONL export writes them: shortest round-trip form, with a fractional part.</summary>
    private static string? Seconds(double? seconds)
    {
        if (seconds is not { } value || !double.IsFinite(value))
        {
            return null;
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static byte[] Compact(ReadOnlySpan<byte> json)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, JsonDefaults.Writer))
        {
            JsonColumn.WriteValue(writer, json);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
