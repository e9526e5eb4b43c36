namespace PromptLogging.Export.Formats;

/// <summary>The most requests and bytes one Batch API input file may hold; an export starts a new file before either is passed.</summary>
/// <param name="Lines">Requests (lines) a file.</param>
/// <param name="Bytes">Bytes a file, line ends included.</param>
internal sealed record BatchLimits(int Lines, long Bytes)
{
    /// <summary>The Batch API's: 50,000 requests and 200 MB a file (counted as 200,000,000 bytes, the stricter reading).</summary>
    public static readonly BatchLimits Api = new(50_000, 200_000_000);

    /// <summary>No split: standard output, a device or a FIFO is one stream.</summary>
    public static readonly BatchLimits None = new(int.MaxValue, long.MaxValue);
}
