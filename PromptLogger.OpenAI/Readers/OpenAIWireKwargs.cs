using System.Buffers;
using System.ClientModel.Primitives;
using System.Text.Json;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// The generation parameters of an SDK options object, straight from the wire JSON its own serializer writes: the
/// top-level properties but those recorded elsewhere, copied as they are into one small JSON object, which the record
/// factory stores as it would store the same object built as a <c>JsonObject</c>. Runs on the writer, once per call:
/// no DOM is built only to be written out again.
/// </summary>
internal static class OpenAIWireKwargs
{
    // One buffer per writer thread for the options' wire JSON, which is read at once and not kept.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_wire;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Writes <paramref name="model"/> as the SDK sends it (what <c>ModelReaderWriter.Write</c> returns) into this
    /// thread's buffer; the span is valid until this thread's next call.
    /// </summary>
    public static ReadOnlySpan<byte> WireOf<T>(T model)
        where T : IJsonModel<T>
    {
        var buffer = t_wire ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        model.Write(writer, ModelReaderWriterOptions.Json);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    /// <summary>
    /// The properties of the JSON object <paramref name="wire"/> but those named in <paramref name="leftOut"/>, as a JSON
    /// object; null when none is left (or <paramref name="wire"/> is not an object). <paramref name="tools"/> is the
    /// value of its <c>tools</c> property when it has one, empty otherwise.
    /// </summary>
    public static byte[]? Without(ReadOnlySpan<byte> wire, string[] leftOut, out ReadOnlySpan<byte> tools)
    {
        tools = default;
        var reader = new Utf8JsonReader(wire);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        // The kept properties, each from its name to the end of its value, as byte ranges of the wire.
        Span<(int Start, int End)> kept = stackalloc (int, int)[32];
        var count = 0;
        var length = 2; // the braces
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var isTools = reader.ValueTextEquals("tools"u8);
            var keep = !IsLeftOut(ref reader, leftOut);
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            reader.Skip();
            var end = (int)reader.BytesConsumed;
            if (isTools)
            {
                tools = wire[valueStart..end];
            }

            if (!keep)
            {
                continue;
            }

            if (count == kept.Length)
            {
                var larger = new (int, int)[kept.Length * 2];
                kept.CopyTo(larger);
                kept = larger;
            }

            kept[count++] = (start, end);
            length += end - start + 1;
        }

        if (count == 0)
        {
            return null;
        }

        var json = new byte[length - 1];
        json[0] = (byte)'{';
        var at = 1;
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                json[at++] = (byte)',';
            }

            var (start, end) = kept[i];
            wire[start..end].CopyTo(json.AsSpan(at));
            at += end - start;
        }

        json[at] = (byte)'}';
        return json;
    }

    private static bool IsLeftOut(ref Utf8JsonReader reader, string[] leftOut)
    {
        foreach (var name in leftOut)
        {
            if (reader.ValueTextEquals(name))
            {
                return true;
            }
        }

        return false;
    }
}
