namespace PromptLogging.Export;

/// <summary>What an export wrote.</summary>
/// <param name="Count">How many lines (records) were written.</param>
/// <param name="RejectedValues">
/// How many stored JSON values were left out of their line because they were not exactly one JSON value.
/// </param>
/// <param name="FirstRejected">Which was the first of those (<c>messages of prompt ID</c>); null when none.</param>
internal sealed record ExportSummary(int Count, int RejectedValues = 0, string? FirstRejected = null)
{
    /// <summary>The sentence that reports the rejected values; null when there were none.</summary>
    public string? RejectedDescription => RejectedValues == 0
        ? null
        : $"{RejectedValues} stored JSON value{(RejectedValues == 1 ? " was" : "s were")} not valid JSON and left out of the export " +
          $"(first: {FirstRejected}); the records themselves were exported, one line each.";
}
