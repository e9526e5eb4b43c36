using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Readers.Anthropic;

/// <summary>
/// Reads a Messages API request body (<c>MessageCreateParams.RawBodyData</c>, exactly what the SDK sends) into a chat
/// prompt: <c>system</c> as a leading system message; each message's content blocks as text, <c>tool_use</c> blocks
/// as the assistant's tool calls (arguments as JSON text), <c>tool_result</c> blocks as <c>tool</c> messages with their
/// <c>tool_call_id</c>; tools in the recorded tools shape (<c>input_schema</c> as the function's parameters); every
/// other body field (<c>max_tokens</c>, <c>temperature</c>, <c>top_p</c>, <c>top_k</c>, <c>stop_sequences</c>,
/// <c>tool_choice</c>, <c>thinking</c>, <c>metadata</c>, …) as a generation parameter under its wire name.
/// </summary>
internal static class AnthropicRequestBody
{
    // Body fields recorded elsewhere, or not generation parameters.
    private static readonly string[] NotGenerationKwargs = ["model", "messages", "system", "tools", "stream"];

    public static CallRequest Read(IReadOnlyDictionary<string, JsonElement> body)
    {
        var messages = new List<CapturedMessage>();
        if (body.TryGetValue("system", out var system) && AnthropicJson.Text(system) is { } systemText)
        {
            messages.Add(new CapturedMessage("system", systemText));
        }

        if (body.TryGetValue("messages", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in list.EnumerateArray())
            {
                ReadMessage(message, messages);
            }
        }

        return new CallRequest
        {
            Kind = CallKind.Chat,
            Provider = AnthropicMessagesReader.Provider,
            Model = AnthropicJson.String(body, "model"),
            Messages = messages,
            Tools = body.TryGetValue("tools", out var tools) ? ReadTools(tools) : [],
            GenerationKwargs = ReadKwargs(body),
        };
    }

    private static void ReadMessage(JsonElement message, List<CapturedMessage> messages)
    {
        var role = AnthropicJson.String(message, "role") ?? "user";
        var content = AnthropicJson.Property(message, "content");
        if (content.ValueKind != JsonValueKind.Array)
        {
            messages.Add(new CapturedMessage(role, AnthropicJson.Text(content)));
            return;
        }

        StringBuilder? text = null;
        List<CapturedToolCall>? toolCalls = null;
        var toolResults = 0;
        foreach (var block in content.EnumerateArray())
        {
            switch (AnthropicJson.String(block, "type"))
            {
                case "text":
                    (text ??= new StringBuilder()).Append(AnthropicJson.String(block, "text"));
                    break;
                case "tool_use":
                    (toolCalls ??= []).Add(AnthropicJson.ToolCall(block));
                    break;
                case "tool_result":
                    // The API puts tool results first in a user message: each becomes a tool message, before the text.
                    messages.Add(new CapturedMessage(
                        "tool", AnthropicJson.Text(AnthropicJson.Property(block, "content")), AnthropicJson.String(block, "tool_use_id")));
                    toolResults++;
                    break;
            }
        }

        // A message of tool results only is those tool messages; anything else is one message (text null when it
        // carried none, such as an image alone).
        if (text is not null || toolCalls is not null || toolResults == 0)
        {
            messages.Add(new CapturedMessage(role, text?.ToString(), ToolCalls: toolCalls));
        }
    }

    private static CapturedTool[] ReadTools(JsonElement tools)
    {
        if (tools.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var captured = new List<CapturedTool>(tools.GetArrayLength());
        foreach (var tool in tools.EnumerateArray())
        {
            if (AnthropicJson.String(tool, "name") is not { } name)
            {
                continue;
            }

            // A client tool has no type (or "custom") and an input schema; a server tool (web search, bash, …) keeps its type.
            var type = AnthropicJson.String(tool, "type");
            var schema = AnthropicJson.Property(tool, "input_schema");
            captured.Add(new CapturedTool(
                name,
                AnthropicJson.String(tool, "description"),
                schema.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(schema.GetRawText()),
                type is null or "custom" ? "function" : type));
        }

        return [.. captured];
    }

    private static JsonObject? ReadKwargs(IReadOnlyDictionary<string, JsonElement> body)
    {
        JsonObject? kwargs = null;
        // The body is a frozen dictionary without an order of its own: the names are sorted, so a record is the same each time.
        foreach (var name in body.Keys.Order(StringComparer.Ordinal))
        {
            if (Array.IndexOf(NotGenerationKwargs, name) < 0)
            {
                (kwargs ??= [])[name] = JsonNode.Parse(body[name].GetRawText());
            }
        }

        return kwargs;
    }
}
