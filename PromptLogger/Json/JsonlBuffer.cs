using System.Buffers;
using System.Text.Json;

namespace PromptLogging.Json;

/// <summary>
/// Writes JSON objects as JSONL lines into an in-memory buffer and hands the buffer to the output stream in
/// large chunks, so that a line costs no stream call of its own.
/// </summary>
internal sealed class JsonlBuffer : IDisposable
{
    private const int ChunkSize = 1 << 16;

    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(ChunkSize * 2);

    public JsonlBuffer(Stream output)
    {
        _output = output;
        Writer = new Utf8JsonWriter(_buffer, JsonDefaults.Writer);
    }

    /// <summary>The writer for the current line; write one object, then call <see cref="EndLine"/>.</summary>
    public Utf8JsonWriter Writer { get; }

    /// <summary>Ends the line with <c>\n</c> and passes full chunks on to the output.</summary>
    public void EndLine()
    {
        Writer.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        Writer.Reset();
        if (_buffer.WrittenCount >= ChunkSize)
        {
            Drain();
        }
    }

    /// <summary>Writes what is buffered and flushes the output.</summary>
    public void Complete()
    {
        Drain();
        _output.Flush();
    }

    public void Dispose() => Writer.Dispose();

    private void Drain()
    {
        _output.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }
}
