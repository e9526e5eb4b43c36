using System.Text.Json.Serialization;
using PromptLogging.Json;

namespace PromptLogging.Storage;

/// <summary>
/// One row of the <c>prompts</c> table: a chat or text prompt with its JSON columns already serialized in the export
/// shape, as UTF-8, so that storing and exporting are copying. Its columns are described in <see cref="PromptColumns"/>.
/// </summary>
/// <remarks>
/// The JSON columns are UTF-8 bytes from the record factory's writer to the database and back out into an export line;
/// a spool file holds them as JSON strings (<see cref="Utf8TextConverter"/>), as it always has.
/// </remarks>
internal sealed record PromptRecord
{
    public required string Id { get; init; }
    public required string Namespace { get; init; }
    public required string Kind { get; init; }
    public string? Model { get; init; }
    public string? Provider { get; init; }

    [JsonConverter(typeof(Utf8TextConverter))]
    public byte[]? Messages { get; set; }

    [JsonConverter(typeof(Utf8TextConverter))]
    public byte[]? Tools { get; set; }

    [JsonConverter(typeof(Utf8TextConverter))]
    public byte[]? GenerationKwargs { get; set; }

    [JsonConverter(typeof(Utf8TextConverter))]
    public byte[]? Completions { get; set; }

    public string? Prompt { get; init; }
    public string? Response { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public string? Error { get; init; }
    public bool Stream { get; init; }
    public double? TimeToFirstTokenSeconds { get; init; }
    public double InferenceOn { get; init; }
    public double? InferenceSeconds { get; init; }

    [JsonConverter(typeof(Utf8TextConverter))]
    public byte[]? Tags { get; set; }

    public string? ResponseModel { get; init; }
    public string? ResponseId { get; init; }
    public string? SystemFingerprint { get; init; }
    public string? StreamEnd { get; init; }

    /// <summary>The conversation: given (a scope, the call's options), or set by the writer when it infers the thread.</summary>
    public string? ConversationId { get; set; }

    public string? UserId { get; init; }

    /// <summary>A JSON object of string keys.</summary>
    [JsonConverter(typeof(Utf8TextConverter))]
    public byte[]? Metadata { get; set; }

    /// <summary>The id of the record this call re-ran.</summary>
    public string? ReplayOf { get; init; }

    public long? CachedInputTokens { get; init; }
    public long? ReasoningTokens { get; init; }

    /// <summary>
    /// What a later call continuing this one starts with — its messages and its reply — as a 64-bit hash (see
    /// <see cref="Writing.ConversationThreads"/>); set by the writer as it stores the record.
    /// </summary>
    public long? ThreadKey { get; set; }

    public const string ChatKind = "chat";
    public const string TextKind = "text";
}
