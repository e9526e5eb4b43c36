namespace PromptLogging.Export;

/// <summary>
/// An output written where it is, streaming: a character device (<c>/dev/null</c>, a terminal), a FIFO, or a file
/// reached through <c>/dev</c> or <c>/proc</c> (<c>/dev/stdout</c> redirected to a file, appended to as the shell
/// would). Renaming a file over such an output would replace the device or the pipe, not write to it.
/// </summary>
internal sealed class InPlaceOutput : ExportOutput
{
    private readonly FileStream _stream;

    public InPlaceOutput(string path, bool append)
    {
        // Unbuffered (lines arrive in 64 KB chunks already), so that a failed write is not retried by Dispose.
        _stream = new FileStream(path, new FileStreamOptions
        {
            Mode = append ? FileMode.Append : FileMode.Open,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite,
            BufferSize = 0,
        });
    }

    public override Stream Stream => _stream;

    public override void Commit() => _stream.Flush();

    public override void Dispose() => _stream.Dispose();
}
