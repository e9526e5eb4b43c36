using System.Buffers;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Reads the server-sent events of a streamed chat completion, as the bytes went by, into an outcome: each event
/// through the SDK's own <see cref="StreamingChatCompletionUpdate"/>, assembled by <see cref="OpenAIStreamObserver"/>,
/// so a protocol stream is recorded as the SDK's streaming methods are. Runs on the background writer.
/// </summary>
internal static class OpenAIServerSentEvents
{
    private static ReadOnlySpan<byte> Done => "[DONE]"u8;

    private static ReadOnlySpan<byte> DataField => "data:"u8;

    /// <summary>
    /// Reads the events in <paramref name="bytes"/> into <paramref name="outcome"/>. Returns the offset just past the
    /// first event that carried content (text, a tool call, a refusal), or <see langword="null"/> when none did.
    /// An event cut off at the end (an abandoned or broken stream) is left out. <paramref name="whole"/> tells whether the
    /// closing <c>[DONE]</c> event was among them.
    /// </summary>
    public static int? Read(ReadOnlyMemory<byte> bytes, CallOutcome outcome, out bool whole)
    {
        var observer = new OpenAIStreamObserver();
        var firstContentEnd = ForEachEvent(bytes, payload => Parse(payload) is { } update && observer.Observe(update), out whole);
        observer.Finish(outcome);
        return firstContentEnd;
    }

    /// <summary>
    /// Hands the data of each complete event in <paramref name="bytes"/> to <paramref name="onEvent"/>, in order, up to
    /// a <c>[DONE]</c> event. Returns the offset just past the first event for which <paramref name="onEvent"/> said it
    /// carried content, or <see langword="null"/>. An event cut off at the end is left out. <paramref name="done"/> tells
    /// whether a <c>[DONE]</c> event closed them (the Chat Completions API's last event; the Responses API has none).
    /// </summary>
    public static int? ForEachEvent(ReadOnlyMemory<byte> bytes, Func<byte[], bool> onEvent, out bool done)
    {
        done = false;
        int? firstContentEnd = null;
        var span = bytes.Span;
        var data = new EventData();
        var position = 0;
        while (position < span.Length)
        {
            var lineEnd = span[position..].IndexOf((byte)'\n');
            if (lineEnd < 0)
            {
                break;
            }

            var line = span.Slice(position, lineEnd).TrimEnd((byte)'\r');
            position += lineEnd + 1;
            if (line.IsEmpty)
            {
                // A blank line ends the event.
                if (data.IsEmpty)
                {
                    continue;
                }

                var payload = data.Take();
                if (payload.AsSpan().SequenceEqual(Done))
                {
                    // The reply's closing event: whatever the caller did next, the reply was whole.
                    done = true;
                    break;
                }

                if (onEvent(payload))
                {
                    firstContentEnd ??= position;
                }

                continue;
            }

            if (line.StartsWith(DataField))
            {
                var value = line[DataField.Length..];
                data.Append(value.Length > 0 && value[0] == (byte)' ' ? value[1..] : value);
            }
        }

        return firstContentEnd;
    }

    private static StreamingChatCompletionUpdate? Parse(byte[] payload)
    {
        try
        {
            return ModelReaderWriter.Read<StreamingChatCompletionUpdate>(BinaryData.FromBytes(payload), ModelReaderWriterOptions.Json, OpenAIContext.Default);
        }
#pragma warning disable CA1031 // An event this SDK does not read (not JSON, an unknown shape) is skipped.
        catch
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>The data lines of one event, joined by line feeds as the format says.</summary>
    private sealed class EventData
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();
        private bool _any;

        public bool IsEmpty => !_any;

        public void Append(ReadOnlySpan<byte> value)
        {
            if (_any)
            {
                _buffer.Write("\n"u8);
            }

            _buffer.Write(value);
            _any = true;
        }

        public byte[] Take()
        {
            var bytes = _buffer.WrittenSpan.ToArray();
            _buffer.Clear();
            _any = false;
            return bytes;
        }
    }
}
