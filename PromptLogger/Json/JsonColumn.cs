using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PromptLogging.Json;

/// <summary>
/// Checks a JSON column's text that comes from outside the logger (a spool or import line, a database row) before
/// it is stored or written raw into an export line: it must be exactly one JSON value of the expected kind, and it
/// is re-encoded compactly, so that no line break, second value or trailing text can pass through.
/// </summary>
/// <remarks>
/// Re-encoding keeps what a value says — property order, number text, string content — and is idempotent on what
/// the logger itself writes (compact, <see cref="JsonDefaults.Writer"/>).
/// </remarks>
internal static class JsonColumn
{
    // Deeper than any prompt the logger records (tool schemas nest), shallow enough to refuse a hostile nesting bomb.
    private const int MaxDepth = 256;

    private static readonly JsonDocumentOptions Strict = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private static readonly JsonWriterOptions Compact = JsonDefaults.Writer with { MaxDepth = MaxDepth };

    /// <summary>
    /// Re-encodes <paramref name="text"/> when it is a single JSON value of kind <paramref name="expected"/>.
    /// Null, empty, and the JSON <c>null</c> give null (the column is left empty).
    /// </summary>
    /// <returns>False when it is not: not JSON, more than one value, or another kind.</returns>
    internal static bool TryNormalize(string? text, JsonValueKind expected, out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            int length;
            try
            {
                length = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(text, utf8);
            }
            catch (EncoderFallbackException)
            {
                return false; // a lone surrogate: not text any JSON reader accepts
            }

            return TryNormalize(utf8.AsSpan(0, length), expected, out normalized);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>As <see cref="TryNormalize(string?, JsonValueKind, out string?)"/>, from UTF-8.</summary>
    internal static bool TryNormalize(ReadOnlySpan<byte> utf8, JsonValueKind expected, out string? normalized)
    {
        normalized = null;
        if (utf8.IsEmpty)
        {
            return true;
        }

        try
        {
            // Parse reads exactly one value: anything after it but white space is an error.
            using var document = JsonDocument.Parse(utf8.ToArray(), Strict);
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

            normalized = Encoding.UTF8.GetString(buffer.WrittenSpan);
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
