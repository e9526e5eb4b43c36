using System.Buffers;

namespace PromptLogging.Import;

/// <summary>
/// The lines of a file as bytes, numbered from 1: split at <c>\n</c>, a <c>\r</c> before it and a UTF-8 byte order mark
/// at the start dropped. Bytes, not text: a line that is not UTF-8 is the reader's to refuse, never decoded into
/// replacement characters and stored altered.
/// </summary>
internal static class ByteLines
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static IEnumerable<(long Number, byte[] Line)> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        foreach (var line in Read(stream))
        {
            yield return line;
        }
    }

    public static IEnumerable<(long Number, byte[] Line)> Read(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        var line = new ArrayBufferWriter<byte>(1024);
        var number = 0L;
        var first = true;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            while (start < read)
            {
                var end = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                if (end < 0)
                {
                    line.Write(buffer.AsSpan(start, read - start));
                    break;
                }

                line.Write(buffer.AsSpan(start, end - start));
                yield return (++number, Take(line, ref first));
                start = end + 1;
            }
        }

        if (line.WrittenCount > 0)
        {
            yield return (++number, Take(line, ref first));
        }
    }

    private static byte[] Take(ArrayBufferWriter<byte> line, ref bool first)
    {
        var bytes = line.WrittenSpan;
        if (first && bytes.StartsWith(ByteOrderMark))
        {
            bytes = bytes[ByteOrderMark.Length..];
        }

        first = false;
        if (!bytes.IsEmpty && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        var result = bytes.ToArray();
        line.ResetWrittenCount();
        return result;
    }

    /// <summary>Whether a line holds nothing but white space (blank lines are not records, nor counted as bad ones).</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r\f\v"u8).IsEmpty;
}
