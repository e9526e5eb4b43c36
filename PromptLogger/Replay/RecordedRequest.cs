using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using PromptLogging.Export.Formats;
using PromptLogging.Json;

namespace PromptLogging.Replay;

/// <summary>
/// A recorded chat prompt as a Microsoft.Extensions.AI request again: its messages (tool calls and tool results
/// included), its tools as function declarations, and its generation parameters — stored under their wire names — as
/// <see cref="ChatOptions"/>. A parameter <see cref="ChatOptions"/> has no property for is left out and named.
/// </summary>
internal sealed record RecordedRequest(IReadOnlyList<ChatMessage> Messages, ChatOptions Options)
{
    // Not generation parameters of the answer (how it travels, or who asked): left out without a word.
    private static readonly HashSet<string> Transport = new(StringComparer.Ordinal) { "model", "stream", "stream_options" };

    /// <summary>The request recorded in <paramref name="row"/>; null when its messages are not readable.</summary>
    /// <param name="row">The stored prompt (its JSON columns untrusted: checked here).</param>
    /// <param name="model">The model to ask; null for the client's default.</param>
    /// <param name="leftOut">Receives the name of each parameter or tool kind that could not be passed on.</param>
    public static RecordedRequest? Read(ReplayRow row, string? model, Action<string> leftOut)
    {
        ArgumentNullException.ThrowIfNull(row);
        var messages = ReadMessages(row.Messages, leftOut);
        if (messages is null)
        {
            return null;
        }

        var options = new ChatOptions { ModelId = model };
        ReadTools(row.Tools, options, leftOut);
        ReadParameters(row.GenerationKwargs, options, leftOut);
        return new RecordedRequest(messages, options);
    }

    // The messages as the exports write them (RequestMessages: a tool call's arguments a JSON string, a type on each
    // call), then read into ChatMessages: one reading of stored messages for the datasets and the replay.
    private static List<ChatMessage>? ReadMessages(string? json, Action<string> leftOut)
    {
        using var stored = Parse(json, JsonValueKind.Array);
        if (stored is null || stored.RootElement.GetArrayLength() == 0
            || stored.RootElement.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.Object || Text(m, "role") is not { Length: > 0 }))
        {
            return null;
        }

        using var normalised = Normalise(writer => RequestMessages.WriteMessages(writer, "messages", stored.RootElement));
        var messages = new List<ChatMessage>();
        foreach (var message in normalised.RootElement.GetProperty("messages").EnumerateArray())
        {
            var role = Text(message, "role")!;
            var contents = Contents(message, leftOut);
            if (role == "tool" && Text(message, "tool_call_id") is { } callId)
            {
                var result = string.Concat(contents.OfType<TextContent>().Select(t => t.Text));
                messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, result)]));
                continue;
            }

            if (message.TryGetProperty("tool_calls", out var calls))
            {
                foreach (var call in calls.EnumerateArray())
                {
                    var function = call.GetProperty("function");
                    contents.Add(new FunctionCallContent(Text(call, "id") ?? string.Empty, Text(function, "name")!, Arguments(Text(function, "arguments"))));
                }
            }

            messages.Add(new ChatMessage(new ChatRole(role), contents));
        }

        return messages;
    }

    // A message's content: a string, or an array of parts of which the text parts are sent (any other part is named).
    private static List<AIContent> Contents(JsonElement message, Action<string> leftOut)
    {
        var contents = new List<AIContent>();
        if (!message.TryGetProperty("content", out var content))
        {
            return contents;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            if (content.GetString() is { Length: > 0 } text)
            {
                contents.Add(new TextContent(text));
            }
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                var type = part.ValueKind == JsonValueKind.Object ? Text(part, "type") : null;
                if (type == "text" && Text(part, "text") is { } text)
                {
                    contents.Add(new TextContent(text));
                }
                else
                {
                    leftOut("content (" + (type ?? "unreadable") + ")");
                }
            }
        }

        return contents;
    }

    // Arguments as the model wrote them: a JSON object, its values kept as JSON.
    private static Dictionary<string, object?>? Arguments(string? json)
    {
        using var document = Parse(json, JsonValueKind.Object);
        if (document is null)
        {
            return null;
        }

        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            arguments[property.Name] = property.Value.Clone();
        }

        return arguments;
    }

    private static void ReadTools(string? json, ChatOptions options, Action<string> leftOut)
    {
        using var stored = Parse(json, JsonValueKind.Array);
        if (stored is null)
        {
            return;
        }

        using var normalised = Normalise(writer => RequestMessages.WriteTools(writer, "tools", stored.RootElement));
        foreach (var tool in normalised.RootElement.GetProperty("tools").EnumerateArray())
        {
            if (Text(tool, "type") == "function"
                && tool.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
                && Text(function, "name") is { Length: > 0 } name)
            {
                var schema = function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                    ? parameters.Clone()
                    : EmptySchema();
                (options.Tools ??= []).Add(AIFunctionFactory.CreateDeclaration(name, Text(function, "description"), schema));
            }
            else
            {
                leftOut("tools (" + (Text(tool, "type") ?? "unnamed") + ")");
            }
        }
    }

    // What RequestMessages writes (one property of an object), read back.
    private static JsonDocument Normalise(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = JsonColumn.MaxDepth + 8 }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = JsonColumn.MaxDepth + 8 });
    }

    private static void ReadParameters(string? json, ChatOptions options, Action<string> leftOut)
    {
        using var document = Parse(json, JsonValueKind.Object);
        if (document?.RootElement is not { } kwargs)
        {
            return;
        }

        foreach (var parameter in kwargs.EnumerateObject())
        {
            if (!Transport.Contains(parameter.Name) && !TrySet(options, parameter.Name, parameter.Value))
            {
                leftOut(parameter.Name);
            }
        }
    }

    /// <summary>Sets the option a wire name stands for; false when there is none, or the value is not of its kind.</summary>
    private static bool TrySet(ChatOptions options, string name, JsonElement value)
    {
        switch (name)
        {
            case "max_tokens" or "max_completion_tokens" or "max_output_tokens" when value.TryGetInt32(out var tokens):
                options.MaxOutputTokens = tokens;
                return true;
            case "temperature" when value.TryGetSingle(out var temperature):
                options.Temperature = temperature;
                return true;
            case "top_p" when value.TryGetSingle(out var topP):
                options.TopP = topP;
                return true;
            case "top_k" when value.TryGetInt32(out var topK):
                options.TopK = topK;
                return true;
            case "frequency_penalty" when value.TryGetSingle(out var frequency):
                options.FrequencyPenalty = frequency;
                return true;
            case "presence_penalty" when value.TryGetSingle(out var presence):
                options.PresencePenalty = presence;
                return true;
            case "seed" when value.TryGetInt64(out var seed):
                options.Seed = seed;
                return true;
            case "parallel_tool_calls" when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                options.AllowMultipleToolCalls = value.GetBoolean();
                return true;
            case "stop":
                return TrySetStop(options, value);
            case "response_format":
                return TrySetResponseFormat(options, value);
            case "tool_choice":
                return TrySetToolChoice(options, value);
            case "reasoning_effort" when Effort(value) is { } effort:
                options.Reasoning = new ReasoningOptions { Effort = effort };
                return true;
            default:
                return false;
        }
    }

    private static bool TrySetStop(ChatOptions options, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            options.StopSequences = [value.GetString()!];
            return true;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
        {
            return false;
        }

        options.StopSequences = [.. value.EnumerateArray().Select(s => s.GetString()!)];
        return true;
    }

    private static bool TrySetResponseFormat(ChatOptions options, JsonElement value)
    {
        switch (value.ValueKind == JsonValueKind.Object ? Text(value, "type") : null)
        {
            case "text":
                options.ResponseFormat = ChatResponseFormat.Text;
                return true;
            case "json_object":
                options.ResponseFormat = ChatResponseFormat.Json;
                return true;
            case "json_schema" when value.TryGetProperty("json_schema", out var schema) && schema.ValueKind == JsonValueKind.Object
                                    && schema.TryGetProperty("schema", out var body) && body.ValueKind == JsonValueKind.Object:
                options.ResponseFormat = ChatResponseFormat.ForJsonSchema(body.Clone(), Text(schema, "name"), Text(schema, "description"));
                return true;
            default:
                return false;
        }
    }

    private static bool TrySetToolChoice(ChatOptions options, JsonElement value)
    {
        ChatToolMode? mode = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() switch
            {
                "auto" => ChatToolMode.Auto,
                "none" => ChatToolMode.None,
                "required" => ChatToolMode.RequireAny,
                _ => null,
            },
            JsonValueKind.Object when value.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
                                      && Text(function, "name") is { Length: > 0 } name => ChatToolMode.RequireSpecific(name),
            _ => null,
        };
        options.ToolMode = mode;
        return mode is not null;
    }

    private static ReasoningEffort? Effort(JsonElement value) => value.ValueKind != JsonValueKind.String ? null : value.GetString() switch
    {
        "none" => ReasoningEffort.None,
        "low" => ReasoningEffort.Low,
        "medium" => ReasoningEffort.Medium,
        "high" => ReasoningEffort.High,
        "xhigh" => ReasoningEffort.ExtraHigh,
        _ => null,
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement EmptySchema()
    {
        using var document = JsonDocument.Parse("""{"type":"object","properties":{}}""");
        return document.RootElement.Clone();
    }

    // A stored column (untrusted) as the exports parse it; null when absent, not valid or not of this kind.
    private static JsonDocument? Parse(string? json, JsonValueKind kind) =>
        string.IsNullOrEmpty(json) ? null : StoredJson.Parse(Encoding.UTF8.GetBytes(json), kind, out _);
}
