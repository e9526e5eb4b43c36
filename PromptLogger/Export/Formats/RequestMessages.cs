using System.Text.Json;

namespace PromptLogging.Export.Formats;

/// <summary>
/// Stored messages, tool calls and tools written as the Chat Completions API (and its fine-tuning files) takes them:
/// a tool call's <c>type</c> is <c>function</c> and its <c>arguments</c> a JSON string (a record imported from the
/// Python package may hold them as an object); a message always has a <c>content</c> or <c>tool_calls</c>; what only
/// a reply carries (<c>finish_reason</c>) is left out.
/// </summary>
internal static class RequestMessages
{
    /// <summary>Writes the array of stored messages; an element that is not an object is left out.</summary>
    public static void WriteMessages(Utf8JsonWriter writer, string name, JsonElement messages)
    {
        writer.WriteStartArray(name);
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object)
            {
                WriteMessage(writer, message, role: null);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// Writes one message; <paramref name="role"/>, when given, replaces the stored one (a reply is the assistant's).
    /// </summary>
    public static void WriteMessage(Utf8JsonWriter writer, JsonElement message, string? role)
    {
        writer.WriteStartObject();
        if (role is not null)
        {
            writer.WriteString("role", role);
        }

        var hasContent = false;
        var hasToolCalls = false;
        foreach (var property in message.EnumerateObject())
        {
            switch (property.Name)
            {
                case "role" when role is not null:
                case "finish_reason":
                    break;
                case "content" when property.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "content":
                    hasContent = true;
                    property.WriteTo(writer);
                    break;
                case "tool_calls":
                    hasToolCalls |= WriteToolCalls(writer, property.Value);
                    break;
                default:
                    property.WriteTo(writer);
                    break;
            }
        }

        if (!hasContent && !hasToolCalls)
        {
            writer.WriteString("content", string.Empty);
        }

        writer.WriteEndObject();
    }

    /// <summary>Whether a stored reply says anything: text, or at least one tool call.</summary>
    public static bool IsReply(JsonElement completion) =>
        completion.ValueKind == JsonValueKind.Object &&
        ((completion.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString()!.Length > 0) ||
         (completion.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0));

    /// <summary>Writes the stored tools, each with its <c>type</c> (<c>function</c> when the record has none).</summary>
    public static void WriteTools(Utf8JsonWriter writer, string name, JsonElement tools)
    {
        writer.WriteStartArray(name);
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            writer.WriteStartObject();
            if (!tool.TryGetProperty("type", out _))
            {
                writer.WriteString("type", "function");
            }

            foreach (var property in tool.EnumerateObject())
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static bool WriteToolCalls(Utf8JsonWriter writer, JsonElement calls)
    {
        if (calls.ValueKind != JsonValueKind.Array || calls.GetArrayLength() == 0)
        {
            return false;
        }

        writer.WriteStartArray("tool_calls");
        foreach (var call in calls.EnumerateArray())
        {
            if (call.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            writer.WriteStartObject();
            if (call.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                writer.WriteString("id", id.GetString());
            }

            writer.WriteString("type", call.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : "function");
            writer.WriteStartObject("function");
            var function = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            writer.WriteString("name", function.ValueKind == JsonValueKind.Object && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()
                : string.Empty);
            writer.WriteString("arguments", Arguments(function));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return true;
    }

    /// <summary>
    /// The arguments as the JSON string the API wants: a stored string as it is; an object (or any other value) as
    /// its JSON text; none (content not stored) as <c>{}</c>.
    /// </summary>
    private static string Arguments(JsonElement function)
    {
        if (function.ValueKind != JsonValueKind.Object || !function.TryGetProperty("arguments", out var arguments) || arguments.ValueKind == JsonValueKind.Null)
        {
            return "{}";
        }

        return arguments.ValueKind == JsonValueKind.String ? arguments.GetString()! : arguments.GetRawText();
    }
}
