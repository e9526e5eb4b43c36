namespace PromptLogging.Interception;

/// <summary>Token counts reported by the provider.</summary>
/// <param name="InputTokens">Tokens in the prompt.</param>
/// <param name="OutputTokens">Tokens generated.</param>
internal sealed record CapturedUsage(long? InputTokens, long? OutputTokens);
