using System.Text.Json;
using PromptLogging.Tool.Browsing;

namespace PromptLogging.Tool.Web.Pages;

/// <summary>A message of a chat (or a reply) as the record page shows it: its role, text and tool calls.</summary>
/// <param name="Role">system, user, assistant, tool, … as stored.</param>
/// <param name="Text">Its text; null when it has none (an assistant message that only calls tools).</param>
/// <param name="Name">Its <c>name</c> field, if any.</param>
/// <param name="ToolCallId">For a tool result, the call it answers.</param>
/// <param name="ToolCalls">The tools it calls.</param>
/// <param name="FinishReason">For a reply, why the model stopped.</param>
/// <param name="Raw">The message's stored JSON (compared to tell a conversation's new messages from repeated ones).</param>
public sealed record ChatMessageView(string Role, string? Text, string? Name, string? ToolCallId, IReadOnlyList<ToolCallView> ToolCalls, string? FinishReason, string Raw)
{
    /// <summary>The CSS class of its role: one of a known few, so that a stored role never names a class.</summary>
    public string RoleClass => Role switch
    {
        "system" or "developer" => "role-system",
        "user" => "role-user",
        "assistant" => "role-assistant",
        "tool" or "function" => "role-tool",
        _ => "role-other",
    };

    /// <summary>The messages of a stored JSON array; a column that is not one becomes one message holding its text.</summary>
    internal static IReadOnlyList<ChatMessageView> ListFrom(string? json, string fallbackRole)
    {
        using var document = Display.Parse(json);
        if (document?.RootElement.ValueKind != JsonValueKind.Array)
        {
            return json is null ? [] : [new ChatMessageView(fallbackRole, json, null, null, [], null, json)];
        }

        return [.. document.RootElement.EnumerateArray().Select(m => From(m, fallbackRole))];
    }

    private static ChatMessageView From(JsonElement message, string fallbackRole)
    {
        var isObject = message.ValueKind == JsonValueKind.Object;
        return new ChatMessageView(
            String(message, "role") ?? fallbackRole,
            isObject ? Display.ContentText(message) : message.GetRawText(),
            String(message, "name"),
            String(message, "tool_call_id"),
            isObject && message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array
                ? [.. calls.EnumerateArray().Select(ToolCallView.From)]
                : [],
            String(message, "finish_reason"),
            message.GetRawText());
    }

    internal static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A tool call: the function, its arguments (indented when they are JSON) and the call's id.</summary>
public sealed record ToolCallView(string? Id, string Name, string Arguments)
{
    internal static ToolCallView From(JsonElement call)
    {
        var arguments = call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object &&
                        function.TryGetProperty("arguments", out var a)
            ? a.ValueKind == JsonValueKind.String ? PrettyJson.OfText(a.GetString()) : PrettyJson.Of(a)
            : string.Empty;
        return new ToolCallView(ChatMessageView.String(call, "id"), Display.ToolCallName(call), arguments);
    }
}

/// <summary>A tool the call offered the model: its name, description and parameters' schema.</summary>
public sealed record ToolDefinitionView(string Name, string? Description, string Parameters)
{
    internal static IReadOnlyList<ToolDefinitionView> ListFrom(string? json)
    {
        using var document = Display.Parse(json);
        if (document?.RootElement.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return
        [
            .. document.RootElement.EnumerateArray().Select(tool =>
            {
                var function = tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : tool;
                var parameters = function.ValueKind == JsonValueKind.Object && function.TryGetProperty("parameters", out var p) ? PrettyJson.Of(p) : string.Empty;
                return new ToolDefinitionView(ChatMessageView.String(function, "name") ?? "?", ChatMessageView.String(function, "description"), parameters);
            }),
        ];
    }
}
