using System.Globalization;
using System.Text.Json;

namespace PromptLogging.Json;

/// <summary>Writes the export contract's conventions: empties left out, seconds as numbers.</summary>
internal static class JsonWriterExtensions
{
    /// <summary>Writes <paramref name="name"/> unless <paramref name="value"/> is null or empty.</summary>
    public static void WriteStringIfAny(this Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Writes <paramref name="name"/> unless <paramref name="value"/> is null or empty.</summary>
    public static void WriteStringIfAny(this Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Writes a UTF-8 string unless it is null or empty (escaped as needed, never transcoded).</summary>
    public static void WriteStringIfAny(this Utf8JsonWriter writer, JsonEncodedText name, ReadOnlySpan<byte> utf8)
    {
        if (!utf8.IsEmpty)
        {
            writer.WriteString(name, utf8);
        }
    }

    /// <summary>
    /// Writes a stored JSON value unless it is null or an empty list or object. A value that is not exactly one JSON
    /// value (<see cref="JsonColumn.IsSingleValue"/>) is not written: the method returns false and the line stays whole.
    /// </summary>
    public static bool TryWriteJsonIfAny(this Utf8JsonWriter writer, JsonEncodedText name, ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.IsEmpty || utf8Json.SequenceEqual("[]"u8) || utf8Json.SequenceEqual("{}"u8) || utf8Json.SequenceEqual("null"u8))
        {
            return true;
        }

        if (!JsonColumn.IsSingleValue(utf8Json))
        {
            return false;
        }

        writer.WritePropertyName(name);
        JsonColumn.WriteValue(writer, utf8Json);
        return true;
    }

    /// <summary>
    /// Writes seconds as a JSON number the way the Python prompt-logger package does: shortest round-trip form, always with a
    /// fractional part (<c>1744316542.0</c>), so that consumers see a float every time.
    /// </summary>
    public static void WriteSeconds(this Utf8JsonWriter writer, JsonEncodedText name, double? seconds)
    {
        if (seconds is not { } value || !double.IsFinite(value))
        {
            return;
        }

        // Formatted as UTF-8 on the stack: a million-row export writes two of these a row.
        Span<byte> text = stackalloc byte[40];
        var length = value.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture) ? written : 0;
        if (text[..length].IndexOfAny((byte)'.', (byte)'E') < 0)
        {
            ".0"u8.CopyTo(text[length..]);
            length += 2;
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }
}
