using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PromptLogging.Json;

/// <summary>
/// UTF-8 text held as bytes (a JSON column's value) written and read as a JSON string, not as base64: a spool line
/// holds it as text, as spool files always have.
/// </summary>
internal sealed class Utf8TextConverter : JsonConverter<byte[]>
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string, not {reader.TokenType}.");
        }

        try
        {
            // A lone surrogate (an escaped \uD800) has no UTF-8 form: the line is refused, not stored altered.
            return Strict.GetBytes(reader.GetString()!);
        }
        catch (EncoderFallbackException exception)
        {
            throw new JsonException("The string is not valid Unicode text.", exception);
        }
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
