using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using PromptLogging.Interception.Adapters;
using AIChatResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Microsoft.Extensions.AI <see cref="ChatOptions"/> as generation parameters under the names the provider receives
/// on the wire, so that one call records the same <c>generation_kwargs</c> whether it was made through the OpenAI SDK,
/// <c>AttachToClient(IChatClient)</c> or <c>UsePromptLogger</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>A provider whose adapter knows its wire</b> — an <see cref="IChatClient"/> whose
/// <see cref="ChatClientMetadata.ProviderName"/> names a family with an adapter package (<c>openai</c> and
/// <c>azure.ai.openai</c>: PromptLogger.OpenAI, see <see cref="ClientAdapter.ChatOptionsReader"/>): the options as that
/// provider's bridge sends them.
/// </para>
/// <para>
/// <b>Any other provider</b> (or none named, or its adapter package not referenced): the OpenAI Chat Completions names
/// for what <see cref="ChatOptions"/> says — <c>max_completion_tokens</c>, <c>temperature</c>, <c>top_p</c>,
/// <c>frequency_penalty</c>, <c>presence_penalty</c>, <c>seed</c>, <c>stop</c>, <c>response_format</c>,
/// <c>reasoning_effort</c>, <c>tool_choice</c> and <c>parallel_tool_calls</c> when set — plus <c>top_k</c> (no Chat
/// Completions name; the one OpenAI-compatible servers accept) and every <c>AdditionalProperties</c> entry under its
/// own key. <c>Instructions</c> are recorded as a leading system message, the Chat Completions form.
/// </para>
/// </remarks>
internal static class ExtensionsAIGenerationKwargs
{
    /// <summary>
    /// How the options of <paramref name="client"/>, whose metadata names <paramref name="providerName"/>, are read when
    /// its family's adapter knows the wire; null for the Chat Completions names. Asks the client's adapter, which may
    /// ask the client for its services: look it up once per client.
    /// </summary>
    public static Func<ChatOptions, JsonObject?>? ProviderReaderOf(IChatClient? client, string? providerName) =>
        ClientAdapters.ForProvider(providerName)?.ChatOptionsReader(client, providerName);

    /// <summary>The generation parameters of <paramref name="options"/> under the wire names; null when there are none.</summary>
    /// <param name="options">The caller's options (a snapshot).</param>
    /// <param name="providerReader">The client's provider's reader (see <see cref="ProviderReaderOf"/>), or null.</param>
    /// <param name="toNode">Writes an additional property's value (what cannot be serialized is recorded by type name).</param>
    public static JsonObject? Read(ChatOptions? options, Func<ChatOptions, JsonObject?>? providerReader, Func<object?, JsonNode?> toNode)
    {
        if (options is null)
        {
            return null;
        }

        return providerReader is not null ? providerReader(options) : ReadAsChatCompletions(options, toNode);
    }

    private static JsonObject? ReadAsChatCompletions(ChatOptions options, Func<object?, JsonNode?> toNode)
    {
        var kwargs = new JsonObject();
        AddIfAny(kwargs, "max_completion_tokens", options.MaxOutputTokens);
        AddIfAny(kwargs, "temperature", options.Temperature);
        AddIfAny(kwargs, "top_p", options.TopP);
        AddIfAny(kwargs, "top_k", options.TopK);
        AddIfAny(kwargs, "frequency_penalty", options.FrequencyPenalty);
        AddIfAny(kwargs, "presence_penalty", options.PresencePenalty);
        AddIfAny(kwargs, "seed", options.Seed);
        if (options.StopSequences is { Count: > 0 } stops)
        {
            var array = new JsonArray();
            foreach (var stop in stops)
            {
                array.Add(stop);
            }

            kwargs["stop"] = array;
        }

        if (ReasoningEffortOf(options.Reasoning?.Effort) is { } effort)
        {
            kwargs["reasoning_effort"] = effort;
        }

        if (ResponseFormatOf(options.ResponseFormat) is { } format)
        {
            kwargs["response_format"] = format;
        }

        AddIfAny(kwargs, "parallel_tool_calls", options.AllowMultipleToolCalls);
        if (ToolChoiceOf(options.ToolMode) is { } toolChoice)
        {
            kwargs["tool_choice"] = toolChoice;
        }

        if (options.AdditionalProperties is { Count: > 0 } additional)
        {
            foreach (var (name, value) in additional)
            {
                kwargs[name] = toNode(value);
            }
        }

        return kwargs.Count > 0 ? kwargs : null;
    }

    private static void AddIfAny<T>(JsonObject kwargs, string name, T? value)
        where T : struct
    {
        if (value is { } present)
        {
            kwargs[name] = JsonValue.Create(present);
        }
    }

    /// <summary>The bridges' strict flag: a boolean <c>strict</c> additional property.</summary>
    public static bool? StrictOf(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue("strict", out var value) && value is bool strict ? strict : null;

    /// <summary>The wire name of a reasoning effort, or null.</summary>
    public static string? ReasoningEffortOf(ReasoningEffort? effort) => effort switch
    {
        ReasoningEffort.None => "none",
        ReasoningEffort.Low => "low",
        ReasoningEffort.Medium => "medium",
        ReasoningEffort.High => "high",
        ReasoningEffort.ExtraHigh => "xhigh",
        _ => null,
    };

    private static JsonObject? ResponseFormatOf(AIChatResponseFormat? format) => format switch
    {
        ChatResponseFormatText => new JsonObject { ["type"] = "text" },
        ChatResponseFormatJson { Schema: null } => new JsonObject { ["type"] = "json_object" },
        ChatResponseFormatJson json => new JsonObject { ["type"] = "json_schema", ["json_schema"] = JsonSchemaOf(json) },
        _ => null,
    };

    private static JsonObject JsonSchemaOf(ChatResponseFormatJson json)
    {
        var schema = new JsonObject { ["name"] = json.SchemaName ?? "json_schema" };
        if (json.SchemaDescription is { } description)
        {
            schema["description"] = description;
        }

        schema["schema"] = JsonNode.Parse(json.Schema!.Value.GetRawText());
        return schema;
    }

    private static JsonNode? ToolChoiceOf(ChatToolMode? mode) => mode switch
    {
        AutoChatToolMode => "auto",
        NoneChatToolMode => "none",
        RequiredChatToolMode { RequiredFunctionName: { } name } => new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name },
        },
        RequiredChatToolMode => "required",
        _ => null,
    };
}
