namespace PromptLogging.Export.Formats;

/// <summary>How an export of prompts is written: its format and that format's settings.</summary>
/// <param name="Format">The format.</param>
/// <param name="Dedupe">Fine-tuning only: drop an example identical to one already written.</param>
internal sealed record FormatOptions(ExportFormat Format, bool Dedupe = false)
{
    /// <summary>The seed's JSONL, as every export wrote before formats.</summary>
    public static readonly FormatOptions Seed = new(ExportFormat.Jsonl);

    /// <summary>Batch only: the most lines and bytes a file holds before the next part starts (when the output is a file).</summary>
    public BatchLimits BatchLimits { get; init; } = BatchLimits.Api;
}
