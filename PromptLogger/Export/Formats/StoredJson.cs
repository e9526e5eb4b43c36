using System.Text.Json;
using PromptLogging.Json;

namespace PromptLogging.Export.Formats;

/// <summary>
/// A stored JSON column read for a format that reshapes it (fine-tuning, batch): checked to be exactly one JSON value
/// of the expected kind before it is parsed, as every export checks what it takes from the store.
/// </summary>
internal static class StoredJson
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = JsonColumn.MaxDepth };

    /// <summary>The kinds of an absent value: NULL, empty, or JSON <c>null</c>.</summary>
    public static bool IsAbsent(ReadOnlySpan<byte> utf8) => utf8.IsEmpty || utf8.SequenceEqual("null"u8);

    /// <summary>
    /// Parses <paramref name="utf8"/> when it is one JSON value of kind <paramref name="kind"/>; null when it is absent
    /// (<paramref name="valid"/> true) or not valid (<paramref name="valid"/> false).
    /// </summary>
    public static JsonDocument? Parse(ReadOnlySpan<byte> utf8, JsonValueKind kind, out bool valid)
    {
        valid = true;
        if (IsAbsent(utf8))
        {
            return null;
        }

        if (!JsonColumn.IsSingleValue(utf8))
        {
            valid = false;
            return null;
        }

        var document = JsonDocument.Parse(utf8.ToArray(), Options);
        if (document.RootElement.ValueKind != kind)
        {
            document.Dispose();
            valid = false;
            return null;
        }

        return document;
    }

    /// <summary>
    /// A stored JSON column of a row, parsed; null when absent, or when not valid (then counted in
    /// <paramref name="rejected"/> under <paramref name="name"/> and the record's <paramref name="id"/>).
    /// </summary>
    public static JsonDocument? Read(PromptRows row, int ordinal, JsonValueKind kind, JsonEncodedText name, ReadOnlySpan<byte> id, RejectedJsonValues rejected)
    {
        var document = Parse(row.Utf8(ordinal), kind, out var valid);
        if (!valid)
        {
            rejected.Add(name, id);
        }

        return document;
    }
}
