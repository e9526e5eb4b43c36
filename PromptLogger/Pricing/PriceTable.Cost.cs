namespace PromptLogging.Pricing;

internal sealed partial class PriceTable
{
    /// <summary>
    /// The estimated cost of a call in USD, or <see langword="null"/> when it cannot be told: no usage, or a model
    /// this table does not price at <paramref name="at"/>. Never 0 for an unknown model.
    /// </summary>
    /// <param name="model">The model the call asked for.</param>
    /// <param name="responseModel">The model that answered; it prices the call when the table knows it.</param>
    /// <param name="provider">
    /// The record's provider (<c>openai</c>, <c>anthropic</c>…), which tells how its token counts were reported;
    /// <see langword="null"/>: the priced entry's provider.
    /// </param>
    /// <param name="inputTokens">Input tokens as the provider reported them.</param>
    /// <param name="cachedInputTokens">Input tokens read from the prompt cache, as the provider reported them.</param>
    /// <param name="outputTokens">Output tokens, reasoning included.</param>
    /// <param name="at">When the call was made: the prices in effect then apply.</param>
    /// <remarks>
    /// Cached input tokens are counted once, at the cached price. OpenAI (and Azure OpenAI, Gemini, and the
    /// OpenAI-compatible APIs) report them <em>inside</em> the input count, so they are taken out of it first;
    /// Anthropic reports cache reads apart from <c>input_tokens</c>, so they are added. Anthropic's cache writes
    /// (<c>cache_creation_input_tokens</c>) are not part of a record's usage and are not priced.
    /// </remarks>
    public decimal? EstimateCost(
        string? model,
        string? responseModel,
        string? provider,
        long? inputTokens,
        long? cachedInputTokens,
        long? outputTokens,
        DateTimeOffset at)
    {
        if ((inputTokens is null && outputTokens is null) || inputTokens < 0 || cachedInputTokens < 0 || outputTokens < 0)
        {
            return null;
        }

        if ((Find(responseModel, at) ?? Find(model, at)) is not { } price)
        {
            return null;
        }

        var input = inputTokens ?? 0;
        var cached = cachedInputTokens ?? 0;
        long uncached;
        if (ReportsCacheReadsApart(provider ?? price.Provider))
        {
            uncached = input;
        }
        else
        {
            // Inside the input count: never more cached tokens than the prompt had.
            cached = Math.Min(cached, input);
            uncached = input - cached;
        }

        var prices = price.LongContext is { } longContext && uncached + cached > longContext.AboveInputTokens
            ? longContext.Prices
            : price.Prices;
        return prices.Cost(uncached, cached, outputTokens ?? 0);
    }

    /// <summary>
    /// <see cref="EstimateCost(string?, string?, string?, long?, long?, long?, DateTimeOffset)"/> for a record's own
    /// fields: <paramref name="inferenceOn"/> is its <c>inference_on</c>, seconds since the Unix epoch.
    /// </summary>
    public decimal? EstimateCost(
        string? model,
        string? responseModel,
        string? provider,
        long? inputTokens,
        long? cachedInputTokens,
        long? outputTokens,
        double inferenceOn) =>
        EstimateCost(model, responseModel, provider, inputTokens, cachedInputTokens, outputTokens, FromEpochSeconds(inferenceOn));

    private static DateTimeOffset FromEpochSeconds(double seconds) =>
        seconds switch
        {
            >= -62_135_596_800d and <= 253_402_300_799d => DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)),
            < 0 => DateTimeOffset.MinValue,
            _ => DateTimeOffset.MaxValue,  // far future, or not a number: the latest prices
        };

    private static bool ReportsCacheReadsApart(string? provider) =>
        provider is not null && provider.StartsWith("anthropic", StringComparison.OrdinalIgnoreCase);
}
