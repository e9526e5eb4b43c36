using System.Buffers;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Readers;

namespace PromptLogging.Interception.Streams;

/// <summary>
/// What an <see cref="ObservedResponseStream"/> saw: the bytes of the reply and when each read returned; records the
/// call once when the stream ends. Apart from the stream, so that <see cref="LiveStreams"/> can hold it while the
/// stream itself, dropped unfinished, is reclaimed.
/// </summary>
internal sealed class ResponseStreamRecording : LiveStream
{
    private readonly CapturedCall _call;
    private readonly ArrayBufferWriter<byte> _bytes = new(1024);
    // When each read returned, by the offset its bytes end at: the writer finds the first event with content in the
    // bytes and times it by the read that completed it (the caller's thread cannot tell content without parsing).
    private readonly List<(int End, double Seconds)> _reads = [];
    private readonly OpenAIProtocol.ReplyReader _readReply;
    private readonly CancellationToken _cancellation;
    private int _ended;

    public ResponseStreamRecording(CapturedCall call, OpenAIProtocol.ReplyReader readReply, CancellationToken cancellation)
    {
        _call = call;
        _readReply = readReply;
        _cancellation = cancellation;
    }

    public override bool HasEnded => Volatile.Read(ref _ended) != 0;

    public override void Abandon() => End(StreamEnd.Abandoned, null);

    /// <summary>Copies what one read returned; a read of nothing (when something was asked for) is the end of the reply.</summary>
    public void Note(ReadOnlySpan<byte> read, int asked)
    {
        if (Volatile.Read(ref _ended) != 0)
        {
            return;
        }

        if (read.Length > 0)
        {
            // Locked against the writer reading the bytes: a logger closing records the stream as abandoned while
            // the caller may still be reading.
            lock (_bytes)
            {
                if (Volatile.Read(ref _ended) != 0)
                {
                    return;
                }

                _bytes.Write(read);
                _reads.Add((_bytes.WrittenCount, _call.Elapsed.TotalSeconds));
            }
        }
        else if (asked > 0)
        {
            End(StreamEnd.Completed, null);
        }
    }

    /// <summary>Records the call once, ended as <paramref name="end"/>; the events are read later, on the writer. Never throws.</summary>
    public void End(StreamEnd end, Exception? error)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        Untrack();
        if (end != StreamEnd.Completed && _cancellation.IsCancellationRequested)
        {
            // The caller's token stopped it: the SDK disposes the response (or a read fails) when it is cancelled.
            end = StreamEnd.Cancelled;
        }

        var bytes = _bytes;
        var reads = _reads;
        var readReply = _readReply;
        _call.RecordStream(
            () =>
            {
                var outcome = new ProtocolStreamOutcome();
                lock (bytes)
                {
                    if (readReply(bytes.WrittenMemory, outcome, out var whole) is { } firstContentEnd)
                    {
                        outcome.TimeToFirstTokenSeconds = reads.Find(r => r.End >= firstContentEnd).Seconds;
                    }

                    outcome.ReplyWhole = whole;
                }

                return outcome;
            },
            end,
            error is null ? null : CapturedCall.DescribeSafely(error),
            _call.Elapsed,
            timeToFirstToken: null);
    }
}
