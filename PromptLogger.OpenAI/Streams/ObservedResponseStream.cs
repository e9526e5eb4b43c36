using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Readers;

namespace PromptLogging.Interception.Streams;

/// <summary>
/// Stands in for the content stream of a streamed protocol reply: every read passes through unchanged, as soon as it
/// returns, while its bytes are copied aside (by its <see cref="ResponseStreamRecording"/>); the call is recorded once,
/// when the stream reaches its end, is disposed (the SDK disposes the response when its enumeration ends or is
/// abandoned), or a read fails. The copied server-sent events (or, for an unbuffered reply that is not a stream, its
/// JSON) are read on the background writer.
/// </summary>
internal sealed class ObservedResponseStream : Stream
{
    private readonly Stream _inner;
    private readonly ResponseStreamRecording _recording;

    /// <param name="inner">The response's own content stream.</param>
    /// <param name="call">The call to record when the stream ends (this reading of the reply), timed from its start.</param>
    /// <param name="readReply">Reads the copied bytes into an outcome on the writer (the API's own reader).</param>
    /// <param name="cancellation">The caller's token: a stream it stopped ended <c>cancelled</c>.</param>
    public ObservedResponseStream(Stream inner, CapturedCall call, OpenAIProtocol.ReplyReader readReply, CancellationToken cancellation)
    {
        _inner = inner;
        _recording = new ResponseStreamRecording(call, readReply, cancellation);
        // The stream is what the caller's enumerator holds (through the response): dropped unfinished, it is reclaimed.
        _recording.Track(call, this);
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
            _recording.End(StreamEnds.Of(exception), exception);
            throw;
        }

        _recording.Note(buffer[..read], buffer.Length);
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
            _recording.End(StreamEnds.Of(exception), exception);
            throw;
        }

        _recording.Note(buffer.Span[..read], buffer.Length);
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
            // Before its end: abandoned, unless the reply was whole already (read on the writer, see ProtocolStreamOutcome.ReplyWhole).
            _recording.End(StreamEnd.Abandoned, null);
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
                _recording.End(StreamEnd.Abandoned, null);
            }
        }

        base.Dispose(disposing);
    }
}
