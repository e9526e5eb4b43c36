using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using System.Runtime.InteropServices;
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

    public static void Read(ReadOnlyMemory<byte> bytes, CallOutcome outcome)
    {
        var observer = new OpenAIStreamObserver();
        using var stream = MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
        foreach (var item in SseParser.Create(stream, static (_, data) => data.ToArray()).Enumerate())
        {
            if (item.Data.AsSpan().SequenceEqual(Done))
            {
                break;
            }

            StreamingChatCompletionUpdate? update;
            try
            {
                update = ModelReaderWriter.Read<StreamingChatCompletionUpdate>(BinaryData.FromBytes(item.Data), ModelReaderWriterOptions.Json, OpenAIContext.Default);
            }
#pragma warning disable CA1031 // An event cut off by an abandoned or broken stream, or one this SDK does not know, is skipped.
            catch
#pragma warning restore CA1031
            {
                continue;
            }

            if (update is not null)
            {
                observer.Observe(update);
            }
        }

        observer.Finish(outcome);
    }
}
