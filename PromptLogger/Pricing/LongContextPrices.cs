namespace PromptLogging.Pricing;

/// <summary>
/// The prices a model charges, for the whole call, when its prompt is longer than a threshold (Gemini 2.5 Pro above
/// 200,000 tokens, Claude Sonnet 4 / 4.5 with the 1M-token context above 200,000).
/// </summary>
/// <param name="AboveInputTokens">The threshold: a prompt (input tokens, cached ones included) longer than this.</param>
/// <param name="Prices">The prices that then apply to all of the call's tokens.</param>
internal sealed record LongContextPrices(long AboveInputTokens, TokenPrices Prices);
