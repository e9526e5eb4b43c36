namespace PromptLogging;

/// <summary>
/// Which recorded chat prompts <see cref="PromptLogger.ReplayAsync"/> re-sends, and where and how it records the
/// answers. The selection means what the <c>prompt-logger</c> filters mean (<c>-n</c>, <c>-m</c>, <c>--since</c>,
/// <c>--until</c>, <c>--conversation</c>, <c>--user</c>, <c>--tag</c>).
/// </summary>
/// <example>
/// <code>
/// var summary = await logger.ReplayAsync(new ReplayOptions { Namespace = "support-bot", Model = "gpt-4.1-mini" }, target);
/// </code>
/// </example>
public sealed class ReplayOptions
{
    /// <summary>The namespace whose prompts are replayed; <see langword="null"/> (the default) for the logger's own.</summary>
    public string? Namespace { get; set; }

    /// <summary>Only the prompts sent to these models; empty (the default) for every model.</summary>
    public IList<string> Models { get; } = new List<string>();

    /// <summary>Only the prompts recorded at or after this time.</summary>
    public DateTimeOffset? Since { get; set; }

    /// <summary>Only the prompts recorded before this time.</summary>
    public DateTimeOffset? Until { get; set; }

    /// <summary>Only the prompts of this conversation.</summary>
    public string? ConversationId { get; set; }

    /// <summary>Only the prompts made for this end user.</summary>
    public string? UserId { get; set; }

    /// <summary>Only the prompts carrying every one of these tags.</summary>
    public IList<string> Tags { get; } = new List<string>();

    /// <summary>
    /// The model to ask (<c>ChatOptions.ModelId</c>); <see langword="null"/> (the default) for the target client's
    /// own default model.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>
    /// The namespace the answers are recorded under; <see langword="null"/> (the default) for
    /// <c>NAMESPACE-replay-MODEL</c>. It must differ from <see cref="Namespace"/>.
    /// </summary>
    public string? Into { get; set; }

    /// <summary>How many prompts are in flight at once. Default 4; 1 to 64.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>At most this many prompts are sent by this run; <see langword="null"/> (the default) for all.</summary>
    public int? Limit { get; set; }
}
