using System.Buffers;
using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Streams;

/// <summary>
/// Stands in for the content stream of a streamed protocol reply: every read passes through unchanged, as soon as it
/// returns, while its bytes are copied aside; the call is recorded once, when the stream reaches its end, is disposed
/// (the SDK disposes the response when its enumeration ends or is abandoned), or a read fails. The copied server-sent
/// events (or, for an unbuffered reply that is not a stream, its JSON) are read on the background writer.
/// </summary>
internal sealed class ObservedResponseStream : Stream
{
    private readonly Stream _inner;
    private readonly ChatCall _call;
    private readonly CallTimer _timer;
    private readonly Func<ReadOnlyMemory<byte>, CallOutcome, int?> _readReply;
    private readonly ArrayBufferWriter<byte> _bytes = new(1024);
    // When each read returned, by the offset its bytes end at: the writer finds the first event with content in the
    // bytes and times it by the read that completed it (the caller's thread cannot tell content without parsing).
    private readonly List<(int End, double Seconds)> _reads = [];
    private int _ended;

    /// <param name="inner">The response's own content stream.</param>
    /// <param name="call">The call to record when the stream ends.</param>
    /// <param name="timer">Times this reading of the reply.</param>
    /// <param name="readReply">
    /// Reads the copied bytes into an outcome on the writer, returning the offset just past the first event that carried
    /// content (the API's own reader: chat completions or responses).
    /// </param>
    public ObservedResponseStream(Stream inner, ChatCall call, CallTimer timer, Func<ReadOnlyMemory<byte>, CallOutcome, int?> readReply)
    {
        _inner = inner;
        _call = call;
        _timer = timer;
        _readReply = readReply;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _inner.Read(buffer);
        }
        catch (Exception exception)
        {
            End(exception);
            throw;
        }

        Note(buffer[..read], buffer.Length);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            End(exception);
            throw;
        }

        Note(buffer.Span[..read], buffer.Length);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            End(null);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                _inner.Dispose();
            }
            finally
            {
                End(null);
            }
        }

        base.Dispose(disposing);
    }

    private void Note(ReadOnlySpan<byte> read, int asked)
    {
        if (Volatile.Read(ref _ended) != 0)
        {
            return;
        }

        if (read.Length > 0)
        {
            _bytes.Write(read);
            _reads.Add((_bytes.WrittenCount, _timer.Elapsed.TotalSeconds));
        }
        else if (asked > 0)
        {
            End(null);
        }
    }

    // Records the call once; the events are read later, on the writer. Never throws.
    private void End(Exception? error)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        var bytes = _bytes;
        var reads = _reads;
        var readReply = _readReply;
        _call.RecordStream(
            () =>
            {
                var outcome = new CallOutcome();
                if (readReply(bytes.WrittenMemory, outcome) is { } firstContentEnd)
                {
                    outcome.TimeToFirstTokenSeconds = reads.Find(r => r.End >= firstContentEnd).Seconds;
                }

                return outcome;
            },
            error is null ? null : ChatCall.DescribeSafely(error),
            _timer,
            _timer.Elapsed,
            timeToFirstToken: null);
    }
}
