namespace PromptLogging.Pricing;

/// <summary>USD per 1,000,000 tokens.</summary>
/// <param name="Input">Input (prompt) tokens not read from a cache.</param>
/// <param name="CachedInput">
/// Input tokens read from the provider's prompt cache; <see langword="null"/> where the model has no cached price
/// (cached tokens, if any are reported, then cost <paramref name="Input"/>).
/// </param>
/// <param name="Output">Output tokens, reasoning tokens included (providers bill them as output).</param>
internal sealed record TokenPrices(decimal Input, decimal? CachedInput, decimal Output)
{
    private const decimal TokensPerUnit = 1_000_000m;

    /// <summary>What the tokens cost: each token counted once, at its own price.</summary>
    public decimal Cost(long uncachedInput, long cachedInput, long output) =>
        (uncachedInput * Input + cachedInput * (CachedInput ?? Input) + output * Output) / TokensPerUnit;
}
