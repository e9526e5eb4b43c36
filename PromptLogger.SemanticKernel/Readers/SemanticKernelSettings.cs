using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAIChat = OpenAI.Chat;

namespace PromptLogging.Interception.Readers.SemanticKernel;

/// <summary>
/// What a call's <see cref="PromptExecutionSettings"/> put on the wire, worked out as Semantic Kernel's OpenAI connector
/// does it (<c>ClientCore.CreateChatCompletionOptions</c>): the settings are specialized with
/// <see cref="OpenAIPromptExecutionSettings.FromExecutionSettings"/>, mapped onto the OpenAI SDK's
/// <see cref="OpenAIChat.ChatCompletionOptions"/>, and those are read through their own wire JSON — so
/// <c>MaxTokens = 20</c> is recorded as <c>max_completion_tokens</c>, as the same call through the OpenAI SDK records it.
/// The kernel's functions the settings offer (<see cref="FunctionChoiceBehavior"/>, or the older
/// <see cref="ToolCallBehavior"/> over all kernel functions) become the tools, with the tool choice; the settings' system
/// and developer prompts, which the connector puts first when the history has none, become messages.
/// </summary>
/// <remarks>
/// Not reproduced: a response format given as a .NET type or a JSON schema element (the connector builds a JSON schema
/// from it), web search, audio and modalities options, and <see cref="ToolCallBehavior"/>s that name their own
/// functions. Settings of other connectors are read through the same mapping, so they are recorded under the Chat
/// Completions names.
/// </remarks>
#pragma warning disable SKEXP0001 // FunctionChoiceBehavior.GetConfiguration: the connector's own way to list the offered functions.
#pragma warning disable SKEXP0010 // ExtraBody, ChatDeveloperPrompt: settings the connector sends, read to record them.
internal sealed record SemanticKernelSettings(JsonObject? Kwargs, CapturedTool[] Tools, CapturedMessage[] Prepended)
{
    public static readonly SemanticKernelSettings Empty = new(null, [], []);

    public static SemanticKernelSettings Read(PromptExecutionSettings? given, Kernel? kernel, ChatMessageContent[] history)
    {
        if (given is null)
        {
            return Empty;
        }

        var settings = OpenAIPromptExecutionSettings.FromExecutionSettings(given);
        var options = new OpenAIChat.ChatCompletionOptions
        {
            MaxOutputTokenCount = settings.MaxTokens,
            Temperature = (float?)settings.Temperature,
            TopP = (float?)settings.TopP,
            FrequencyPenalty = (float?)settings.FrequencyPenalty,
            PresencePenalty = (float?)settings.PresencePenalty,
#pragma warning disable OPENAI001 // The seed is experimental in the SDK; the connector sets it all the same.
            Seed = settings.Seed,
#pragma warning restore OPENAI001
            EndUserId = settings.User,
            TopLogProbabilityCount = settings.TopLogprobs,
            IncludeLogProbabilities = settings.Logprobs,
            StoredOutputEnabled = settings.Store,
            ReasoningEffortLevel = ReasoningEffortOf(settings.ReasoningEffort),
        };

        if (ResponseFormatOf(settings.ResponseFormat) is { } format)
        {
            options.ResponseFormat = format;
        }

        foreach (var stop in settings.StopSequences ?? [])
        {
            options.StopSequences.Add(stop);
        }

        foreach (var (token, bias) in settings.TokenSelectionBiases ?? new Dictionary<int, int>())
        {
            options.LogitBiases.Add(token, bias);
        }

        foreach (var (key, value) in settings.Metadata ?? new Dictionary<string, string>())
        {
            options.Metadata.Add(key, value);
        }

        OfferFunctions(settings, kernel, history, options);

        var (kwargs, tools) = OpenAIChatReader.ReadOptions(options);
        if (settings.ExtraBody is { Count: > 0 } extra)
        {
            kwargs ??= [];
            foreach (var (name, value) in extra)
            {
                kwargs[name] = NodeOf(value);
            }
        }

        return new SemanticKernelSettings(kwargs, tools, PrependedMessages(settings, history));
    }

    // The connector's ConfigureFunctionCalling, for the first request of a call.
    private static void OfferFunctions(OpenAIPromptExecutionSettings settings, Kernel? kernel, ChatMessageContent[] history, OpenAIChat.ChatCompletionOptions options)
    {
        if (settings.FunctionChoiceBehavior is { } behavior)
        {
            var configuration = behavior.GetConfiguration(new FunctionChoiceBehaviorConfigurationContext(new ChatHistory(history)) { Kernel = kernel });
            if (configuration?.Functions is not { Count: > 0 } functions)
            {
                return;
            }

            var strict = configuration.Options?.AllowStrictSchemaAdherence ?? false;
            foreach (var function in functions)
            {
                options.Tools.Add(function.Metadata.ToOpenAIFunction().ToFunctionDefinition(strict));
            }

            options.ToolChoice = configuration.Choice == FunctionChoice.Required ? OpenAIChat.ChatToolChoice.CreateRequiredChoice()
                : configuration.Choice == FunctionChoice.None ? OpenAIChat.ChatToolChoice.CreateNoneChoice()
                : OpenAIChat.ChatToolChoice.CreateAutoChoice();
            if (configuration.Options?.AllowParallelCalls is { } parallel)
            {
                options.AllowParallelToolCalls = parallel;
            }
        }
        else if (kernel is not null
                 && (ReferenceEquals(settings.ToolCallBehavior, ToolCallBehavior.EnableKernelFunctions)
                     || ReferenceEquals(settings.ToolCallBehavior, ToolCallBehavior.AutoInvokeKernelFunctions)))
        {
            var functions = kernel.Plugins.GetFunctionsMetadata();
            if (functions.Count == 0)
            {
                return;
            }

            foreach (var function in functions)
            {
                options.Tools.Add(function.ToOpenAIFunction().ToFunctionDefinition(allowStrictSchemaAdherence: false));
            }

            options.ToolChoice = OpenAIChat.ChatToolChoice.CreateAutoChoice();
        }
    }

    // The connector's CreateChatCompletionMessages: a developer prompt, then a system prompt, each when the history has none of its role.
    private static CapturedMessage[] PrependedMessages(OpenAIPromptExecutionSettings settings, ChatMessageContent[] history)
    {
        List<CapturedMessage>? prepended = null;
        if (!string.IsNullOrWhiteSpace(settings.ChatDeveloperPrompt) && !Array.Exists(history, static m => m?.Role == AuthorRole.Developer))
        {
            (prepended ??= []).Add(new CapturedMessage("developer", settings.ChatDeveloperPrompt));
        }

        if (!string.IsNullOrWhiteSpace(settings.ChatSystemPrompt) && !Array.Exists(history, static m => m?.Role == AuthorRole.System))
        {
            (prepended ??= []).Add(new CapturedMessage("system", settings.ChatSystemPrompt));
        }

        return prepended is null ? [] : [.. prepended];
    }

    // Written out: a bare null where a level is expected goes through the level's implicit conversion from string, which throws.
    private static OpenAIChat.ChatReasoningEffortLevel? ReasoningEffortOf(object? effort)
    {
        if (effort is OpenAIChat.ChatReasoningEffortLevel level)
        {
            return level;
        }

        var text = effort switch
        {
            string given => given,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            _ => null,
        };
        if (string.IsNullOrEmpty(text))
        {
            return default(OpenAIChat.ChatReasoningEffortLevel?);
        }

        return new OpenAIChat.ChatReasoningEffortLevel(text);
    }

    private static OpenAIChat.ChatResponseFormat? ResponseFormatOf(object? format) => format switch
    {
        OpenAIChat.ChatResponseFormat given => given,
        string text when text.Equals("json_object", StringComparison.OrdinalIgnoreCase) => OpenAIChat.ChatResponseFormat.CreateJsonObjectFormat(),
        string text when text.Equals("text", StringComparison.OrdinalIgnoreCase) => OpenAIChat.ChatResponseFormat.CreateTextFormat(),
        _ => null,
    };

    private static JsonNode? NodeOf(object? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.SerializeToNode(value, value.GetType());
        }
#pragma warning disable CA1031 // A value that cannot be serialized is recorded by its type name.
        catch (Exception)
#pragma warning restore CA1031
        {
            return JsonValue.Create(value.GetType().ToString());
        }
    }
}
#pragma warning restore SKEXP0010
#pragma warning restore SKEXP0001
