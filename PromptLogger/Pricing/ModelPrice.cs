namespace PromptLogging.Pricing;

/// <summary>One entry of a <see cref="PriceTable"/>: a model's prices from a date on.</summary>
internal sealed record ModelPrice
{
    /// <summary>The model name, or the start of the names it prices (<c>gpt-4.1</c> also prices <c>gpt-4.1-2025-04-14</c>).</summary>
    public required string Model { get; init; }

    /// <summary><c>openai</c>, <c>anthropic</c>, <c>google</c>…; decides how cached tokens are counted when a record does not say.</summary>
    public string? Provider { get; init; }

    /// <summary>The first day (UTC) these prices apply; <see langword="null"/>: from the beginning.</summary>
    public DateOnly? EffectiveFrom { get; init; }

    public required TokenPrices Prices { get; init; }

    public LongContextPrices? LongContext { get; init; }

    public string? Note { get; init; }

    /// <summary>The instant these prices start to apply: midnight UTC of <see cref="EffectiveFrom"/>.</summary>
    public DateTimeOffset Start =>
        EffectiveFrom is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : DateTimeOffset.MinValue;
}
