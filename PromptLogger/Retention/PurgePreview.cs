namespace PromptLogging.Retention;

/// <summary>What a purge would delete: the selected prompts per namespace, kind and model, and the totals.</summary>
/// <param name="Groups">Per namespace, record kind and model (null: records without one), how many prompts, by namespace, kind then model.</param>
/// <param name="Total">How many prompts in all, and how many models would go with them.</param>
/// <param name="Last">
/// The largest insertion key (rowid or seq) among the selected prompts, 0 when none: given to
/// <see cref="RecordPurge.Run"/>, it deletes what was previewed and never a record stored after the preview.
/// </param>
internal sealed record PurgePreview(IReadOnlyList<(string Namespace, string Kind, string? Model, long Count)> Groups, PurgeResult Total, long Last)
{
    /// <summary>How many prompts of one kind were selected.</summary>
    public long CountOf(string kind) => Groups.Where(g => g.Kind == kind).Sum(g => g.Count);
}
