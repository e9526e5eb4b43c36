using System.Text;
using System.Text.Json;

namespace PromptLogging.Interception.Readers.Anthropic;

/// <summary>Small readers of the Anthropic Messages API's wire JSON, tolerant of anything unexpected (they return null).</summary>
internal static class AnthropicJson
{
    /// <summary>The string value of <paramref name="name"/> in <paramref name="body"/>, or null.</summary>
    public static string? String(IReadOnlyDictionary<string, JsonElement> body, string name) =>
        body.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The string property <paramref name="name"/> of an object, or null.</summary>
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The integer property <paramref name="name"/> of an object, or null.</summary>
    public static long? Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var number)
            ? number
            : null;

    /// <summary>The property <paramref name="name"/> of an object, or an undefined element.</summary>
    public static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>
    /// The text of a content value: a string as it is, or the <c>text</c> blocks of a block array concatenated (as the
    /// OpenAI reader concatenates text parts); null when it carries no text.
    /// </summary>
    public static string? Text(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        StringBuilder? text = null;
        foreach (var block in content.EnumerateArray())
        {
            if (String(block, "type") == "text" && String(block, "text") is { } piece)
            {
                (text ??= new StringBuilder()).Append(piece);
            }
        }

        return text?.ToString();
    }

    /// <summary>The JSON text of a tool call's <c>input</c> (its arguments), or null when absent.</summary>
    public static string? RawText(JsonElement value) =>
        value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : value.GetRawText();

    /// <summary>A <c>tool_use</c> content block as a tool call: its id, its name, and its <c>input</c> as JSON text.</summary>
    public static CapturedToolCall ToolCall(JsonElement block) =>
        new(String(block, "id"), String(block, "name") ?? string.Empty, RawText(Property(block, "input")));
}
