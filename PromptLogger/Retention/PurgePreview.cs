namespace PromptLogging.Retention;

/// <summary>What a purge would delete: the selected prompts per namespace and model, and the totals.</summary>
/// <param name="Groups">Per namespace and model (null: records without one), how many prompts, by namespace then model.</param>
/// <param name="Total">How many prompts in all, and how many models would go with them.</param>
internal sealed record PurgePreview(IReadOnlyList<(string Namespace, string? Model, long Count)> Groups, PurgeResult Total);
