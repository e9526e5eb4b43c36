namespace PromptLogging.Retention;

/// <summary>A prompt a purge selected: where it is (rowid or seq), and the model it used in its namespace.</summary>
internal readonly record struct PurgeCandidate(long Key, string Namespace, string? Model);
