using System.Text;
using System.Text.Json;
using PromptLogging.Browsing;
using PromptLogging.Pricing;

namespace PromptLogging.Tool.Compare;

/// <summary>One side of a compared pair: what a comparison shows of a record.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Model">The model asked (the one that answered when the request named none).</param>
/// <param name="Seconds">The call's latency.</param>
/// <param name="InputTokens">Input tokens, when reported.</param>
/// <param name="OutputTokens">Output tokens, when reported.</param>
/// <param name="CostUsd">The estimated cost; null when the model's price or the usage is not known.</param>
/// <param name="FinishReason">The first completion's finish reason.</param>
/// <param name="Error">The call's error, when it failed.</param>
/// <param name="Reply">The reply's text, its tool calls as <c>name(arguments)</c> lines after it.</param>
public sealed record ComparedCall(
    string Id,
    string? Model,
    double? Seconds,
    long? InputTokens,
    long? OutputTokens,
    decimal? CostUsd,
    string? FinishReason,
    string? Error,
    string Reply)
{
    internal static ComparedCall Of(StoredRecord record, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (reply, finish) = ReadCompletions(record.Completions);
        return new ComparedCall(
            record.Id,
            record.Model ?? record.ResponseModel,
            record.InferenceSeconds,
            record.InputTokens,
            record.OutputTokens,
            record.Cost(prices),
            finish,
            record.Error,
            reply);
    }

    // The stored completions are untrusted JSON: what is not of the expected shape is read as nothing.
    private static (string Reply, string? FinishReason) ReadCompletions(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return (string.Empty, null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return (string.Empty, null);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return (string.Empty, null);
            }

            var reply = new StringBuilder();
            string? finish = null;
            foreach (var completion in document.RootElement.EnumerateArray())
            {
                if (completion.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                finish ??= Text(completion, "finish_reason");
                Append(reply, Text(completion, "content"));
                if (completion.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
                        {
                            Append(reply, $"{Text(function, "name")}({Text(function, "arguments")})");
                        }
                    }
                }
            }

            return (reply.ToString(), finish);
        }
    }

    private static void Append(StringBuilder reply, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (reply.Length > 0)
        {
            reply.Append('\n');
        }

        reply.Append(text);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
