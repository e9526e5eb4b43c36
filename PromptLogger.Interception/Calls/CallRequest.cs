using System.Text.Json.Nodes;

namespace PromptLogging.Interception.Calls;

/// <summary>
/// The request half of a call, copied on the caller's thread when the call starts, so that whatever the caller changes
/// afterwards (its message list, a reused options object) does not change what is recorded.
/// </summary>
internal sealed class CallRequest
{
    public CallKind Kind { get; init; }

    public string? Model { get; init; }

    public string? Provider { get; init; }

    public IReadOnlyList<CapturedMessage> Messages { get; init; } = [];

    public IReadOnlyList<CapturedTool> Tools { get; init; } = [];

    public JsonObject? GenerationKwargs { get; init; }

    public string? Prompt { get; init; }
}
