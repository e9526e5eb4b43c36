namespace PromptLogging.Interception;

/// <summary>Token counts reported by the provider.</summary>
/// <param name="InputTokens">Tokens in the prompt.</param>
/// <param name="OutputTokens">Tokens generated.</param>
/// <param name="CachedInputTokens">Of the prompt's tokens, those read from the provider's cache (billed lower), when reported.</param>
/// <param name="ReasoningTokens">Of the tokens generated, those spent reasoning (not in the reply), when reported.</param>
internal sealed record CapturedUsage(long? InputTokens, long? OutputTokens, long? CachedInputTokens = null, long? ReasoningTokens = null);
