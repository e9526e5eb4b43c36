using System.Text;
using System.Text.Json;
using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Readers.Anthropic;

/// <summary>
/// Reads a Messages API reply (<c>Message.RawData</c>, its wire JSON): the text blocks as the completion's content,
/// <c>tool_use</c> blocks as tool calls, <c>stop_reason</c> as the finish reason, <c>usage</c>, and what answered (the
/// message's <c>id</c> and <c>model</c>).
/// </summary>
internal static class AnthropicReply
{
    public static void Read(IReadOnlyDictionary<string, JsonElement> message, CallOutcome outcome)
    {
        outcome.ResponseId = AnthropicJson.String(message, "id");
        outcome.ResponseModel = AnthropicJson.String(message, "model");
        if (message.TryGetValue("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            // Anthropic counts cache reads apart from input_tokens (not inside them, as OpenAI does).
            outcome.Usage = new CapturedUsage(
                AnthropicJson.Long(usage, "input_tokens"),
                AnthropicJson.Long(usage, "output_tokens"),
                AnthropicJson.Long(usage, "cache_read_input_tokens"));
        }

        StringBuilder? text = null;
        List<CapturedToolCall>? toolCalls = null;
        if (message.TryGetValue("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
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
                }
            }
        }

        outcome.Completions =
        [
            new CapturedCompletion(
                AnthropicJson.String(message, "role") ?? "assistant",
                text?.ToString(),
                AnthropicJson.String(message, "stop_reason"),
                toolCalls),
        ];
    }
}
