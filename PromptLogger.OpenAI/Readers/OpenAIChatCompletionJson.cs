using System.Text.Json;
using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Reads a Chat Completions reply body straight from its UTF-8 JSON into an outcome: what answered, the first choice's
/// message (text or refusal, tool calls), its finish reason and the usage. The background writer reads every buffered
/// reply this way; building the SDK's <c>ChatCompletion</c> model again would allocate several times as much for the
/// same few strings.
/// </summary>
/// <remarks>
/// Anything it does not expect (content given as parts, a malformed body) makes it give up, and the caller falls back
/// to the SDK's own model, which reads every shape the SDK knows.
/// </remarks>
internal static class OpenAIChatCompletionJson
{
    // The SDK reads roles and finish reasons as enums, whatever their case ("Assistant" is recorded "assistant"): a value
    // spelled otherwise than the wire's lower case is left to it. A value it does not know at all fails its model.
    private static readonly string[] Roles = ["assistant", "system", "developer", "user", "tool", "function"];
    private static readonly string[] FinishReasons = ["stop", "length", "tool_calls", "content_filter", "function_call"];

    /// <summary>Reads <paramref name="json"/> into <paramref name="outcome"/>; false (with the outcome untouched) when it is not the plain shape.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, CallOutcome outcome)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return TryReadCompletion(ref reader, outcome);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // A value of another type than expected (GetString on a number).
            return false;
        }
    }

    private static bool TryReadCompletion(ref Utf8JsonReader reader, CallOutcome outcome)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? id = null, model = null, fingerprint = null;
        CapturedCompletion? completion = null;
        CapturedUsage? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                id = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                model = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("system_fingerprint"u8))
            {
                fingerprint = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                if (!TryReadChoices(ref reader, out completion))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                usage = ReadUsage(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || completion is null)
        {
            return false;
        }

        outcome.ResponseId = id;
        outcome.ResponseModel = model;
        outcome.SystemFingerprint = fingerprint;
        outcome.Completions = [completion];
        outcome.Usage = usage;
        return true;
    }

    // The first choice, as the SDK's ChatCompletion exposes it; the others are not recorded.
    private static bool TryReadChoices(ref Utf8JsonReader reader, out CapturedCompletion? first)
    {
        first = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            if (first is not null)
            {
                reader.Skip();
                continue;
            }

            if (!TryReadChoice(ref reader, out first))
            {
                return false;
            }
        }

        return reader.TokenType == JsonTokenType.EndArray && first is not null;
    }

    private static bool TryReadChoice(ref Utf8JsonReader reader, out CapturedCompletion? completion)
    {
        completion = null;
        string? finishReason = null;
        (string Role, string? Text, List<CapturedToolCall>? ToolCalls)? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("finish_reason"u8))
            {
                finishReason = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                if (!TryReadMessage(ref reader, out var read))
                {
                    return false;
                }

                message = read;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (message is not { } m || !InSdkSpelling(m.Role, Roles) || !InSdkSpelling(finishReason, FinishReasons))
        {
            return false;
        }

        completion = new CapturedCompletion(m.Role, m.Text, finishReason, m.ToolCalls);
        return true;
    }

    private static bool TryReadMessage(ref Utf8JsonReader reader, out (string Role, string? Text, List<CapturedToolCall>? ToolCalls) message)
    {
        message = default;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string role = "assistant";
        string? content = null, refusal = null;
        List<CapturedToolCall>? toolCalls = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("role"u8))
            {
                role = NextString(ref reader) ?? role;
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    // Content parts: the SDK's model assembles them.
                    return false;
                }

                content = reader.GetString();
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                refusal = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                if (!TryReadToolCalls(ref reader, out toolCalls))
                {
                    return false;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        message = (role, string.IsNullOrEmpty(content) ? refusal : content, toolCalls);
        return true;
    }

    private static bool TryReadToolCalls(ref Utf8JsonReader reader, out List<CapturedToolCall>? calls)
    {
        calls = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? id = null, name = null, arguments = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    id = NextString(ref reader);
                }
                else if (reader.ValueTextEquals("function"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("name"u8))
                        {
                            name = NextString(ref reader);
                        }
                        else if (reader.ValueTextEquals("arguments"u8))
                        {
                            arguments = NextString(ref reader);
                        }
                        else
                        {
                            reader.Read();
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (name is null)
            {
                // Not a function call (a custom tool): the SDK's model knows what it is.
                return false;
            }

            (calls ??= []).Add(new CapturedToolCall(id, name, arguments));
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static CapturedUsage? ReadUsage(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        long? input = null, output = null, cached = null, reasoning = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                input = NextInteger(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                output = NextInteger(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                cached = NestedInteger(ref reader, "cached_tokens"u8) ?? cached;
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reasoning = NestedInteger(ref reader, "reasoning_tokens"u8) ?? reasoning;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new CapturedUsage(input, output, cached, reasoning);
    }

    private static bool InSdkSpelling(string? value, string[] known)
    {
        if (value is null)
        {
            return true;
        }

        foreach (var name in known)
        {
            if (string.Equals(value, name, StringComparison.OrdinalIgnoreCase))
            {
                return string.Equals(value, name, StringComparison.Ordinal);
            }
        }

        return true;
    }

    // One number of a nested object ({"cached_tokens": 3, …}), the rest skipped.
    private static long? NestedInteger(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        long? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                value = NextInteger(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return value;
    }

    private static string? NextString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
    }

    private static long? NextInteger(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : null;
    }
}
