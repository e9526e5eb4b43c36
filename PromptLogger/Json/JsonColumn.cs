using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace PromptLogging.Json;

/// <summary>
/// A JSON column's value that comes from outside the logger's own writer — a spool or import line, a database row —
/// checked to be exactly one JSON value before it is stored or written into an export line, so that a value that is
/// not JSON, or one that carries a line break and a second object after it (<c>[…]}\n{"id":"INJECTED",…</c>), can
/// never become a second record or a second line of a JSONL file.
/// </summary>
/// <remarks>
/// On the way in (spool, import) a value is re-encoded compactly and must be of its column's kind; on the way out
/// (export) the UTF-8 bytes already in hand are read once, and re-encoded only when they hold a line break, which valid
/// JSON can only have between tokens (never inside a string). Re-encoding keeps what a value says — property order,
/// number text, string content — and is idempotent on what the logger itself writes (compact,
/// <see cref="JsonDefaults.Writer"/>).
/// </remarks>
internal static class JsonColumn
{
    /// <summary>Deeper than any prompt the logger records (tool schemas nest); a bound so a hostile nesting can't exhaust the stack.</summary>
    public const int MaxDepth = 256;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private static readonly JsonWriterOptions Compact = JsonDefaults.Writer with { MaxDepth = MaxDepth };

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

    /// <summary>
    /// Re-encodes <paramref name="text"/> when it is a single JSON value of kind <paramref name="expected"/>.
    /// Null, empty, and the JSON <c>null</c> give null (the column is left empty).
    /// </summary>
    /// <returns>False when it is not: not JSON, more than one value, or another kind.</returns>
    public static bool TryNormalize(string? text, JsonValueKind expected, out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        byte[] utf8;
        try
        {
            utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            return false; // a lone surrogate: not text any JSON reader accepts
        }

        if (!TryNormalize(utf8, expected, out var bytes))
        {
            return false;
        }

        normalized = bytes is null ? null : Encoding.UTF8.GetString(bytes);
        return true;
    }

    /// <summary>
    /// Re-encodes UTF-8 <paramref name="utf8"/> when it is valid UTF-8 holding a single JSON value of kind
    /// <paramref name="expected"/>. Null, empty, and the JSON <c>null</c> give null (the column is left empty).
    /// </summary>
    /// <returns>False when it is not: not UTF-8, not JSON, more than one value, or another kind.</returns>
    public static bool TryNormalize(byte[]? utf8, JsonValueKind expected, out byte[]? normalized)
    {
        normalized = null;
        if (utf8 is not { Length: > 0 })
        {
            return true;
        }

        if (!Utf8.IsValid(utf8))
        {
            return false;
        }

        try
        {
            // Parse reads exactly one value: anything after it but white space is an error.
            using var document = JsonDocument.Parse(utf8, DocumentOptions);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return true;
            }

            if (root.ValueKind != expected)
            {
                return false;
            }

            var buffer = new ArrayBufferWriter<byte>(utf8.Length);
            using (var writer = new Utf8JsonWriter(buffer, Compact))
            {
                root.WriteTo(writer);
            }

            normalized = buffer.WrittenSpan.ToArray();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false; // a string the writer refuses to re-encode (invalid UTF-16 escaped in it)
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
