namespace PromptLogging.Replay;

/// <summary>How a replay runs, beyond what it selects.</summary>
/// <param name="Model">The model to ask; null for the target's default.</param>
/// <param name="Into">The namespace answers are recorded under.</param>
/// <param name="Concurrency">Prompts in flight at once.</param>
/// <param name="Limit">At most this many prompts sent; null for all.</param>
internal sealed record ReplayRun(string? Model, string Into, int Concurrency, int? Limit)
{
    /// <summary>Told after each prompt: done so far (sent, whatever the outcome) and how many this run sends in all.</summary>
    public Action<int, int>? Progress { get; init; }

    /// <summary>Asked after a failed call: true stops the run (no further prompt is sent; those in flight finish).</summary>
    public Func<Exception, bool>? StopAfter { get; init; }
}
