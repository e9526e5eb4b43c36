using System.Globalization;
using System.Text.Json;

namespace PromptLogging.Tool.Browsing;

/// <summary>How list and show write times, durations, tokens, costs and a record's text: stable, invariant, escaped.</summary>
internal static class Display
{
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Seconds(double? seconds) =>
        seconds is { } s ? s.ToString(s < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + "s" : "-";

    public static string Tokens(long? input, long? output) =>
        input is null && output is null ? "-" : $"{Count(input)}→{Count(output)}";

    /// <summary>USD to 4 decimals (6 below a cent); <c>-</c> when the price is not known, never 0.</summary>
    public static string Cost(decimal? usd) => usd switch
    {
        null => "-",
        < 0.01m => "$" + usd.Value.ToString("0.000000", CultureInfo.InvariantCulture),
        _ => "$" + usd.Value.ToString("0.0000", CultureInfo.InvariantCulture),
    };

    /// <summary>Unix seconds as a JSON number, or null.</summary>
    public static double? Epoch(double? seconds) => seconds;

    private static string Count(long? tokens) => tokens?.ToString(CultureInfo.InvariantCulture) ?? "?";

    /// <summary>The text of a message's <c>content</c>: a string, or the text parts of a list; null when neither.</summary>
    public static string? ContentText(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var content))
        {
            return null;
        }

        return content.ValueKind switch
        {
            JsonValueKind.String => content.GetString(),
            JsonValueKind.Array => string.Join("\n", content.EnumerateArray()
                .Select(part => part.ValueKind == JsonValueKind.String ? part.GetString()
                    : part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()
                    : part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type) ? $"[{type}]"
                    : null)
                .Where(t => t is not null)),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => content.GetRawText(),
        };
    }

    /// <summary>A stored JSON column parsed, or null when it is empty or not JSON (a reader never trusts it).</summary>
    public static JsonDocument? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The last user message's text of a chat record, or a text record's prompt.</summary>
    public static string LastUserText(string? messagesJson, string? prompt)
    {
        if (prompt is not null)
        {
            return prompt;
        }

        using var messages = Parse(messagesJson);
        if (messages?.RootElement.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        return messages.RootElement.EnumerateArray()
            .Where(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String && role.GetString() == "user")
            .Select(ContentText)
            .LastOrDefault(t => t is not null) ?? string.Empty;
    }

    /// <summary>The reply's text of a chat record (first completion), a text record's response, or the error.</summary>
    public static string ReplyText(string? completionsJson, string? response, string? error)
    {
        if (error is not null)
        {
            return "error: " + error;
        }

        if (response is not null)
        {
            return response;
        }

        using var completions = Parse(completionsJson);
        if (completions?.RootElement.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        foreach (var completion in completions.RootElement.EnumerateArray())
        {
            if (ContentText(completion) is { Length: > 0 } text)
            {
                return text;
            }

            if (completion.ValueKind == JsonValueKind.Object && completion.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                return string.Join(", ", calls.EnumerateArray().Select(ToolCallName)) is { Length: > 0 } names ? "tool calls: " + names : string.Empty;
            }
        }

        return string.Empty;
    }

    public static string ToolCallName(JsonElement call) =>
        call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object &&
        function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString() ?? "?"
            : "?";
}
