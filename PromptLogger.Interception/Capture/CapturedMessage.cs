namespace PromptLogging.Interception;

/// <summary>One request message of a chat call.</summary>
/// <param name="Role">The role on the wire: <c>system</c>, <c>developer</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Content">The text of the message, or <see langword="null"/> when it has none.</param>
/// <param name="ToolCallId">For a tool result, the id of the tool call it answers.</param>
/// <param name="ToolCalls">For an assistant message, the tool calls it made.</param>
internal sealed record CapturedMessage(
    string Role,
    string? Content,
    string? ToolCallId = null,
    IReadOnlyList<CapturedToolCall>? ToolCalls = null);
