namespace PromptLogging.Interception;

/// <summary>One completion (choice) returned by the model.</summary>
/// <param name="Role">The role, normally <c>assistant</c>.</param>
/// <param name="Content">The generated text, or <see langword="null"/> when there is none (for example only tool calls).</param>
/// <param name="FinishReason">Why generation stopped, under the wire name (<c>stop</c>, <c>length</c>, <c>tool_calls</c>, …).</param>
/// <param name="ToolCalls">The tool calls the model asked for.</param>
internal sealed record CapturedCompletion(
    string Role,
    string? Content,
    string? FinishReason = null,
    IReadOnlyList<CapturedToolCall>? ToolCalls = null);
