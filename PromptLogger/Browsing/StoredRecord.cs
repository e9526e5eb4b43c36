namespace PromptLogging.Browsing;

/// <summary>
/// One record as <c>list</c> and <c>show</c> read it: every column by its name, JSON columns as their stored text
/// (untrusted: a reader checks it before use). <c>list</c> leaves the long ones null.
/// </summary>
internal sealed class StoredRecord
{
    public string Id { get; set; } = string.Empty;

    public string Namespace { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public string? Model { get; set; }

    public string? ResponseModel { get; set; }

    public string? Provider { get; set; }

    public double InferenceOn { get; set; }

    public double? InferenceSeconds { get; set; }

    public double? TimeToFirstTokenSeconds { get; set; }

    public long? InputTokens { get; set; }

    public long? CachedInputTokens { get; set; }

    public long? OutputTokens { get; set; }

    public long? ReasoningTokens { get; set; }

    public string? Error { get; set; }

    public string? Messages { get; set; }

    public string? Tools { get; set; }

    public string? GenerationKwargs { get; set; }

    public string? Completions { get; set; }

    public string? Prompt { get; set; }

    public string? Response { get; set; }

    public long? Stream { get; set; }

    public string? StreamEnd { get; set; }

    public string? ConversationId { get; set; }

    public string? UserId { get; set; }

    public string? Tags { get; set; }

    public string? Metadata { get; set; }

    public string? ReplayOf { get; set; }

    public string? ResponseId { get; set; }

    /// <summary>When the call was made.</summary>
    public DateTimeOffset Time => Storage.EpochSeconds.ToTime(InferenceOn);

    /// <summary>The estimated cost in USD by <paramref name="prices"/>; null when the model's price is not known.</summary>
    public decimal? Cost(Pricing.PriceTable prices) =>
        prices.EstimateCost(Model, ResponseModel, Provider, InputTokens, CachedInputTokens, OutputTokens, Time);
}
