namespace PromptLogging.Retention;

/// <summary>What a purge deleted (or, for a dry run, would delete).</summary>
/// <param name="Records">Prompts deleted, with their search index rows and tags.</param>
/// <param name="Models">Models deleted because no prompt of their namespace uses them any more.</param>
internal readonly record struct PurgeResult(long Records, long Models);
