namespace PromptLogging.Export;

/// <summary>What an export wrote.</summary>
/// <param name="Count">How many lines (records) were written.</param>
/// <param name="RejectedValues">
/// How many stored JSON values were left out of their line because they were not exactly one JSON value.
/// </param>
/// <param name="FirstRejected">Which was the first of those (<c>messages of prompt ID</c>); null when none.</param>
internal sealed record ExportSummary(int Count, int RejectedValues = 0, string? FirstRejected = null)
{
    /// <summary>Fine-tuning: the selected records left out because they failed or have no reply.</summary>
    public int LeftOut { get; init; }

    /// <summary>Fine-tuning with dedupe: the examples dropped because an identical one was already written.</summary>
    public int Duplicates { get; init; }

    /// <summary>The files written when the export was split into several (batch); empty when it went to one output.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>
    /// A split export: the part that would follow the last one written, when it exists (left by an earlier, longer
    /// export, and not part of this one); null when there is none.
    /// </summary>
    public string? StalePart { get; init; }

    /// <summary>The sentence that reports the rejected values; null when there were none.</summary>
    public string? RejectedDescription => RejectedValues == 0
        ? null
        : $"{RejectedValues} stored JSON value{(RejectedValues == 1 ? " was" : "s were")} not valid JSON and left out of the export " +
          $"(first: {FirstRejected}); the records themselves were exported, one line each.";
}
