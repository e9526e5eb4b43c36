namespace PromptLogging.Replay;

/// <summary>One recorded chat prompt as a replay reads it: its id and request columns, JSON as stored (untrusted).</summary>
internal sealed class ReplayRow
{
    public string Id { get; set; } = string.Empty;

    public string? Model { get; set; }

    public string? Messages { get; set; }

    public string? Tools { get; set; }

    public string? GenerationKwargs { get; set; }
}
