using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using System.ClientModel.Primitives;
using OpenAI.Chat;
using OpenAI.Responses;
using AIChatResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat;
using OpenAIChatResponseFormat = OpenAI.Chat.ChatResponseFormat;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Microsoft.Extensions.AI <see cref="ChatOptions"/> as generation parameters under the names the provider receives
/// on the wire, so that one call records the same <c>generation_kwargs</c> whether it was made through the OpenAI SDK,
/// <c>AttachToClient(IChatClient)</c> or <c>UsePromptLogger</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>OpenAI (and Azure OpenAI) clients</b> — an <see cref="IChatClient"/> whose <see cref="ChatClientMetadata.ProviderName"/>
/// is <c>openai</c> (what Microsoft.Extensions.AI.OpenAI's <c>AsIChatClient()</c> bridge reports, over Azure OpenAI
/// too) or <c>azure.ai.openai</c>: the options are mapped as that bridge (<c>OpenAIChatClient.ToOpenAIOptions</c>) maps
/// them onto the SDK's <see cref="ChatCompletionOptions"/>, and those are written by the SDK's own serializer, exactly
/// as the SDK path records them: <c>MaxOutputTokens</c> → <c>max_completion_tokens</c>, <c>Temperature</c> →
/// <c>temperature</c>, <c>TopP</c> → <c>top_p</c>, <c>FrequencyPenalty</c> → <c>frequency_penalty</c>,
/// <c>PresencePenalty</c> → <c>presence_penalty</c>, <c>Seed</c> → <c>seed</c>, <c>StopSequences</c> → <c>stop</c>,
/// <c>ResponseFormat</c> → <c>response_format</c>, <c>Reasoning.Effort</c> → <c>reasoning_effort</c>; with function
/// tools, <c>ToolMode</c> → <c>tool_choice</c> (<c>auto</c> when no mode is set, as the bridge sends it) and
/// <c>AllowMultipleToolCalls</c> → <c>parallel_tool_calls</c>; a hosted web search tool → <c>web_search_options</c>.
/// What the bridge does not send is not recorded: <c>TopK</c> and <c>AdditionalProperties</c> (the bridge reads only
/// their <c>strict</c> flag). <c>Instructions</c> are sent as a leading system message and recorded as one. Options
/// the caller's <c>RawRepresentationFactory</c> supplies are not seen (PromptLogger does not run caller code on the
/// writer). A JSON schema response format is recorded as given; the bridge may send it transformed for strict mode.
/// </para>
/// <para>
/// <b>OpenAI's Responses bridge</b> — a client named <c>openai</c> that answers
/// <c>GetService(typeof(ResponsesClient))</c> (<c>ResponsesClient.AsIChatClient()</c>): the options as that bridge
/// (<c>OpenAIResponsesChatClient.AsCreateResponseOptions</c>) maps them onto <see cref="CreateResponseOptions"/>,
/// written by the SDK's serializer: <c>max_output_tokens</c>, <c>temperature</c>, <c>top_p</c>, <c>background</c>,
/// <c>reasoning</c> (<c>effort</c>, <c>summary</c>), <c>text</c> (<c>format</c>), and with function tools
/// <c>parallel_tool_calls</c> and <c>tool_choice</c> (only when a mode is set). Stop sequences, seed and penalties are
/// not sent by it and not recorded; instructions are recorded as a leading system message; the conversation
/// (<c>previous_response_id</c>, <c>conversation</c>) is not a generation parameter.
/// </para>
/// <para>
/// <b>Any other provider</b> (or none named): the OpenAI Chat Completions names for what <see cref="ChatOptions"/>
/// says — <c>max_completion_tokens</c>, <c>temperature</c>, <c>top_p</c>, <c>frequency_penalty</c>,
/// <c>presence_penalty</c>, <c>seed</c>, <c>stop</c>, <c>response_format</c>, <c>reasoning_effort</c>,
/// <c>tool_choice</c> and <c>parallel_tool_calls</c> when set — plus <c>top_k</c> (no Chat Completions name; the one
/// OpenAI-compatible servers accept) and every <c>AdditionalProperties</c> entry under its own key.
/// <c>Instructions</c> are recorded as a leading system message, the Chat Completions form.
/// </para>
/// </remarks>
internal static class ExtensionsAIGenerationKwargs
{
    // Wire fields of a Responses request that are recorded elsewhere (or are not generation parameters).
    private static readonly string[] NotResponsesKwargs = ["input", "model", "stream", "tools", "instructions"];

    /// <summary>Which wire vocabulary a client's options are recorded in.</summary>
    public enum Vocabulary
    {
        /// <summary>The OpenAI Chat Completions names for what the options say (any provider but OpenAI's bridges).</summary>
        ChatCompletions,

        /// <summary>What Microsoft.Extensions.AI.OpenAI's Chat Completions bridge sends.</summary>
        OpenAIChatCompletions,

        /// <summary>What Microsoft.Extensions.AI.OpenAI's Responses bridge sends.</summary>
        OpenAIResponses,
    }

    /// <summary>
    /// The vocabulary of <paramref name="client"/>, whose metadata names <paramref name="providerName"/>: OpenAI's
    /// bridges (<c>openai</c>, over OpenAI or Azure OpenAI, or <c>azure.ai.openai</c>) send what the SDK sends.
    /// Asks the client once more for its <see cref="ResponsesClient"/>; look it up once per client.
    /// </summary>
    public static Vocabulary VocabularyOf(IChatClient? client, string? providerName)
    {
        var openAI = string.Equals(providerName, "openai", StringComparison.OrdinalIgnoreCase)
                     || string.Equals(providerName, "azure.ai.openai", StringComparison.OrdinalIgnoreCase);
        if (!openAI)
        {
            return Vocabulary.ChatCompletions;
        }

        return client?.GetService(typeof(ResponsesClient)) is not null ? Vocabulary.OpenAIResponses : Vocabulary.OpenAIChatCompletions;
    }

    /// <summary>The generation parameters of <paramref name="options"/> under the wire names; null when there are none.</summary>
    /// <param name="options">The caller's options (a snapshot).</param>
    /// <param name="vocabulary">The client's vocabulary (see <see cref="VocabularyOf"/>).</param>
    /// <param name="toNode">Writes an additional property's value (what cannot be serialized is recorded by type name).</param>
    public static JsonObject? Read(ChatOptions? options, Vocabulary vocabulary, Func<object?, JsonNode?> toNode)
    {
        if (options is null)
        {
            return null;
        }

        return vocabulary switch
        {
            Vocabulary.OpenAIChatCompletions => ReadAsOpenAI(options),
            Vocabulary.OpenAIResponses => ReadAsOpenAIResponses(options),
            _ => ReadAsChatCompletions(options, toNode),
        };
    }

    private static JsonObject? ReadAsOpenAI(ChatOptions options)
    {
        var result = new ChatCompletionOptions
        {
            FrequencyPenalty = options.FrequencyPenalty,
            MaxOutputTokenCount = options.MaxOutputTokens,
            TopP = options.TopP,
            PresencePenalty = options.PresencePenalty,
            Temperature = options.Temperature,
        };
#pragma warning disable OPENAI001 // Seed, ReasoningEffortLevel and WebSearchOptions are experimental in the SDK.
        result.Seed = options.Seed;
        if (ReasoningEffortOf(options.Reasoning?.Effort) is { } effort)
        {
            result.ReasoningEffortLevel = new ChatReasoningEffortLevel(effort);
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            foreach (var stop in stops)
            {
                result.StopSequences.Add(stop);
            }
        }

        var functionTools = 0;
        foreach (var tool in options.Tools ?? [])
        {
            switch (tool)
            {
                case AIFunctionDeclaration:
                    functionTools++;
                    break;
                case HostedWebSearchTool:
                    result.WebSearchOptions ??= new ChatWebSearchOptions();
                    break;
            }
        }
#pragma warning restore OPENAI001

        // The bridge sends these only with function tools; the tools themselves are recorded in their own column.
        if (functionTools > 0)
        {
            result.AllowParallelToolCalls = options.AllowMultipleToolCalls;
            result.ToolChoice = options.ToolMode switch
            {
                NoneChatToolMode => ChatToolChoice.CreateNoneChoice(),
                RequiredChatToolMode { RequiredFunctionName: { } name } => ChatToolChoice.CreateFunctionChoice(name),
                RequiredChatToolMode => ChatToolChoice.CreateRequiredChoice(),
                _ => ChatToolChoice.CreateAutoChoice(),
            };
        }

        result.ResponseFormat = options.ResponseFormat switch
        {
            ChatResponseFormatText => OpenAIChatResponseFormat.CreateTextFormat(),
            ChatResponseFormatJson { Schema: { } schema } json => OpenAIChatResponseFormat.CreateJsonSchemaFormat(
                json.SchemaName ?? "json_schema",
                BinaryData.FromString(schema.GetRawText()),
                json.SchemaDescription,
                StrictOf(options.AdditionalProperties)),
            ChatResponseFormatJson => OpenAIChatResponseFormat.CreateJsonObjectFormat(),
            _ => null,
        };

        return OpenAIChatReader.ReadOptions(result).Kwargs;
    }

    private static JsonObject? ReadAsOpenAIResponses(ChatOptions options)
    {
        var result = new CreateResponseOptions
        {
            MaxOutputTokenCount = options.MaxOutputTokens,
            Temperature = options.Temperature,
            TopP = options.TopP,
            BackgroundModeEnabled = options.AllowBackgroundResponses,
        };

        var effort = ReasoningEffortOf(options.Reasoning?.Effort);
        var summary = options.Reasoning?.Output switch
        {
            ReasoningOutput.Summary => ResponseReasoningSummaryVerbosity.Concise,
            ReasoningOutput.Full => ResponseReasoningSummaryVerbosity.Detailed,
            _ => (ResponseReasoningSummaryVerbosity?)null,
        };
        if (effort is not null || summary is not null)
        {
            result.ReasoningOptions = new ResponseReasoningOptions
            {
                ReasoningEffortLevel = effort is null ? null : new ResponseReasoningEffortLevel(effort),
                ReasoningSummaryVerbosity = summary,
            };
        }

        if (options.Tools?.Any(static tool => tool is AIFunctionDeclaration) == true)
        {
            result.ParallelToolCallsEnabled = options.AllowMultipleToolCalls;
            result.ToolChoice = options.ToolMode switch
            {
                NoneChatToolMode => ResponseToolChoice.CreateNoneChoice(),
                AutoChatToolMode => ResponseToolChoice.CreateAutoChoice(),
                RequiredChatToolMode { RequiredFunctionName: { } name } => ResponseToolChoice.CreateFunctionChoice(name),
                RequiredChatToolMode => ResponseToolChoice.CreateRequiredChoice(),
                _ => null,
            };
        }

        var format = options.ResponseFormat switch
        {
            ChatResponseFormatText => ResponseTextFormat.CreateTextFormat(),
            ChatResponseFormatJson { Schema: { } schema } json => ResponseTextFormat.CreateJsonSchemaFormat(
                json.SchemaName ?? "json_schema",
                BinaryData.FromString(schema.GetRawText()),
                json.SchemaDescription,
                StrictOf(options.AdditionalProperties)),
            ChatResponseFormatJson => ResponseTextFormat.CreateJsonObjectFormat(),
            _ => null,
        };
        if (format is not null)
        {
            result.TextOptions = new ResponseTextOptions { TextFormat = format };
        }

        if (JsonNode.Parse(ModelReaderWriter.Write(result).ToMemory().Span) is not JsonObject wire)
        {
            return null;
        }

        foreach (var name in NotResponsesKwargs)
        {
            wire.Remove(name);
        }

        return wire.Count > 0 ? wire : null;
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

    // The bridge's strict flag: a boolean "strict" additional property.
    private static bool? StrictOf(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue("strict", out var value) && value is bool strict ? strict : null;

    private static string? ReasoningEffortOf(ReasoningEffort? effort) => effort switch
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
