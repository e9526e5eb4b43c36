using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using OpenAI.Responses;
using OpenAIChatResponseFormat = OpenAI.Chat.ChatResponseFormat;
using static PromptLogging.Interception.Readers.ExtensionsAIGenerationKwargs;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Microsoft.Extensions.AI <see cref="ChatOptions"/> of an OpenAI (or Azure OpenAI) <see cref="IChatClient"/> as the
/// generation parameters Microsoft.Extensions.AI.OpenAI's bridges send on the wire, so that one call records the same
/// <c>generation_kwargs</c> whether it was made through the OpenAI SDK, <c>AttachToClient(IChatClient)</c> or
/// <c>UsePromptLogger</c> (the core's <see cref="ExtensionsAIGenerationKwargs"/> asks for it by provider name).
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
/// </remarks>
internal static class OpenAIChatOptions
{
    // Wire fields of a Responses request that are recorded elsewhere (or are not generation parameters).
    private static readonly string[] NotResponsesKwargs = ["input", "model", "stream", "tools", "instructions"];

    /// <summary>
    /// The reader for <paramref name="client"/>: a client that answers <c>GetService(typeof(ResponsesClient))</c> is
    /// the Responses bridge, another the Chat Completions bridge. Asks the client once; look it up once per client.
    /// </summary>
    public static Func<ChatOptions, JsonObject?> ReaderFor(IChatClient? client) =>
        client?.GetService(typeof(ResponsesClient)) is not null ? ReadAsOpenAIResponses : ReadAsOpenAI;

    public static JsonObject? ReadAsOpenAI(ChatOptions options)
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

    public static JsonObject? ReadAsOpenAIResponses(ChatOptions options)
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
}
