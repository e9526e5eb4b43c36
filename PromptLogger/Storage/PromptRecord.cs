namespace PromptLogging.Storage;

/// <summary>
/// One row of the <c>prompts</c> table: a chat or text prompt with its JSON columns already serialized
/// in the export shape, so that exporting is copying.
/// </summary>
internal sealed record PromptRecord
{
    public required string Id { get; init; }
    public required string Namespace { get; init; }
    public required string Kind { get; init; }
    public string? Model { get; init; }
    public string? Provider { get; init; }
    public string? Messages { get; init; }
    public string? Tools { get; init; }
    public string? GenerationKwargs { get; init; }
    public string? Completions { get; init; }
    public string? Prompt { get; init; }
    public string? Response { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public string? Error { get; init; }
    public bool Stream { get; init; }
    public double? TimeToFirstTokenSeconds { get; init; }
    public double InferenceOn { get; init; }
    public double? InferenceSeconds { get; init; }
    public string? Tags { get; init; }
    public string? ResponseModel { get; init; }
    public string? ResponseId { get; init; }
    public string? SystemFingerprint { get; init; }
    public string? StreamEnd { get; init; }

    public const string ChatKind = "chat";
    public const string TextKind = "text";
}
