using System.Text.Json;
using System.Text.Unicode;

namespace PromptLogging.Json;

/// <summary>
/// A JSON column value that comes back from a store: checked to be exactly one JSON value before it is written
/// anywhere, so that a value that is not JSON, or one that carries a line break and a second object after it
/// (<c>[…]}\n{"id":"INJECTED",…</c>), can never become a second line of a JSONL file.
/// </summary>
/// <remarks>
/// The check reads the UTF-8 bytes already in hand (no string, no document) once; a value is re-encoded only when it
/// holds a line break, which valid JSON can only have between tokens (never inside a string).
/// </remarks>
internal static class JsonColumn
{
    /// <summary>Deeper than any stored message list; a bound so that a hostile value cannot exhaust the stack.</summary>
    public const int MaxDepth = 256;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// Whether <paramref name="utf8"/> is valid UTF-8 holding exactly one JSON value, with nothing but whitespace
    /// before or after it.
    /// </summary>
    public static bool IsSingleValue(ReadOnlySpan<byte> utf8)
    {
        // The reader checks structure but not the UTF-8 inside strings.
        if (utf8.IsEmpty || !Utf8.IsValid(utf8))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            while (reader.Read())
            {
            }

            // Reading past the end of a complete value throws on anything but whitespace after it.
            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes a value that <see cref="IsSingleValue"/> accepted: as it is when it fits on one line, re-encoded
    /// compactly when it spans several (pretty-printed JSON).
    /// </summary>
    public static void WriteValue(Utf8JsonWriter writer, ReadOnlySpan<byte> utf8)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (utf8.IndexOfAny((byte)'\n', (byte)'\r') < 0)
        {
            writer.WriteRawValue(utf8, skipInputValidation: true);
            return;
        }

        using var document = JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
        document.RootElement.WriteTo(writer);
    }
}
