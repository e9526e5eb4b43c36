using System.Text;
using System.Text.Json;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using PromptLogging.Interception.Calls;
using OpenAIChat = OpenAI.Chat;

namespace PromptLogging.Interception.Readers.SemanticKernel;

/// <summary>
/// Semantic Kernel's chat messages as the OpenAI connector puts them on the wire: lowercase roles (the connector's own
/// replies say <c>Assistant</c>), text items joined, function calls as tool calls (the name <c>plugin-function</c>, the
/// arguments as JSON text, the model's own text when the connector kept it), and each function result as a <c>tool</c>
/// message answering its call id.
/// </summary>
internal static class SemanticKernelMessages
{
    // The connector joins a plugin's name and a function's name with this on the wire (OpenAIFunction.NameSeparator).
    private const string NameSeparator = "-";

    // Where the connector keeps an assistant message's SDK tool calls in its metadata (OpenAIChatMessageContent.FunctionToolCallsProperty, internal).
    private const string FunctionToolCallsKey = "ChatResponseMessage.FunctionToolCalls";

    public static List<CapturedMessage> ReadHistory(CapturedMessage[] prepended, ChatMessageContent[] messages, ChatMessageContent[] added)
    {
        var captured = new List<CapturedMessage>(prepended.Length + messages.Length + added.Length);
        captured.AddRange(prepended);
        foreach (var message in messages)
        {
            Read(message, captured);
        }

        foreach (var message in added)
        {
            Read(message, captured);
        }

        return captured;
    }

    /// <summary>Reads the reply of a call; for the OpenAI connector from the OpenAI SDK's completion it carries, as the SDK path records it.</summary>
    public static void ReadReply(IReadOnlyList<ChatMessageContent> reply, CallOutcome outcome)
    {
        if (reply.Count == 1 && reply[0].InnerContent is OpenAIChat.ChatCompletion completion)
        {
            OpenAIChatReader.ReadCompletion(completion, outcome);
            return;
        }

        var completions = new List<CapturedCompletion>(reply.Count);
        foreach (var message in reply)
        {
            if (message is null)
            {
                continue;
            }

            completions.Add(new CapturedCompletion(
                RoleName(message.Role), NullIfEmpty(TextOf(message)), FinishReasonOf(message.Metadata), ToolCallsOf(message)));
            outcome.ResponseId ??= message.Metadata?.GetValueOrDefault("Id") as string;
            outcome.SystemFingerprint ??= NullIfEmpty(message.Metadata?.GetValueOrDefault("SystemFingerprint") as string);
            outcome.Usage = UsageOf(message.Metadata?.GetValueOrDefault("Usage")) ?? outcome.Usage;
        }

        outcome.Completions = completions;
    }

    /// <summary>The wire name of a role: SK's labels, lowercased.</summary>
    public static string RoleName(AuthorRole role) => role.Label.ToLowerInvariant();

    /// <summary>A finish reason from the metadata (the connector keeps the SDK's enum name, <c>ToolCalls</c>) under its wire name (<c>tool_calls</c>).</summary>
    public static string? FinishReasonOf(IReadOnlyDictionary<string, object?>? metadata) =>
        metadata?.GetValueOrDefault("FinishReason") switch
        {
            OpenAIChat.ChatFinishReason reason => OpenAIChatReader.FinishReasonName(reason),
            string { Length: > 0 } reason => JsonNamingPolicy.SnakeCaseLower.ConvertName(reason),
            _ => null,
        };

    /// <summary>Token usage as a connector reports it in the metadata: the OpenAI SDK's, or Microsoft.Extensions.AI's.</summary>
    public static CapturedUsage? UsageOf(object? usage) => usage switch
    {
        OpenAIChat.ChatTokenUsage openAI => OpenAIChatReader.UsageOf(openAI),
        Microsoft.Extensions.AI.UsageDetails details => ExtensionsAIChatReader.UsageOf(details),
        _ => null,
    };

    private static void Read(ChatMessageContent message, List<CapturedMessage> into)
    {
        if (message is null)
        {
            return;
        }

        var role = RoleName(message.Role);
        if (role == "tool")
        {
            ReadToolMessage(message, into);
            return;
        }

        into.Add(new CapturedMessage(role, NullIfEmpty(TextOf(message)), ToolCalls: ToolCallsOf(message)));
    }

    // As the connector sends them: a tool message named by the metadata's tool id, else one per function result.
    private static void ReadToolMessage(ChatMessageContent message, List<CapturedMessage> into)
    {
        if (message.Metadata?.GetValueOrDefault(OpenAIChatMessageContent.ToolIdProperty)?.ToString() is { } toolId)
        {
            into.Add(new CapturedMessage("tool", TextOf(message), toolId));
            return;
        }

        var any = false;
        foreach (var item in message.Items)
        {
            if (item is FunctionResultContent result)
            {
                into.Add(new CapturedMessage("tool", ResultText(result.Result), result.CallId));
                any = true;
            }
        }

        if (!any)
        {
            into.Add(new CapturedMessage("tool", NullIfEmpty(TextOf(message))));
        }
    }

    /// <summary>The text items of a message, joined (what <c>Content</c> gives for one).</summary>
    internal static string? TextOf(ChatMessageContent message)
    {
        if (message.Items.Count == 0)
        {
            return message.Content;
        }

        string? single = null;
        StringBuilder? joined = null;
        foreach (var item in message.Items)
        {
            if (item is not TextContent { Text: { } text })
            {
                continue;
            }

            if (single is null)
            {
                single = text;
            }
            else
            {
                (joined ??= new StringBuilder(single)).Append(text);
            }
        }

        return joined?.ToString() ?? single;
    }

    /// <summary>
    /// The tool calls of an assistant message: the OpenAI SDK's own (the model's argument text, as the connector resends
    /// it), then the <see cref="FunctionCallContent"/> items not among them, with their arguments serialized.
    /// </summary>
    internal static List<CapturedToolCall>? ToolCallsOf(ChatMessageContent message)
    {
        List<CapturedToolCall>? calls = null;
        HashSet<string>? ids = null;
        var sdkCalls = (message as OpenAIChatMessageContent)?.ToolCalls
                       ?? message.Metadata?.GetValueOrDefault(FunctionToolCallsKey) as IEnumerable<OpenAIChat.ChatToolCall>;
        foreach (var call in sdkCalls ?? [])
        {
            (calls ??= []).Add(new CapturedToolCall(call.Id, call.FunctionName, call.FunctionArguments?.ToString()));
            (ids ??= new HashSet<string>(StringComparer.Ordinal)).Add(call.Id);
        }

        foreach (var item in message.Items)
        {
            if (item is not FunctionCallContent call || (call.Id is not null && ids?.Contains(call.Id) == true))
            {
                continue;
            }

            (calls ??= []).Add(new CapturedToolCall(call.Id, QualifiedName(call.PluginName, call.FunctionName), ArgumentsText(call.Arguments)));
        }

        return calls;
    }

    internal static string QualifiedName(string? pluginName, string functionName) =>
        string.IsNullOrEmpty(pluginName) ? functionName : pluginName + NameSeparator + functionName;

    private static string? ArgumentsText(KernelArguments? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Serialize<IDictionary<string, object?>>(arguments);
        }
#pragma warning disable CA1031 // An argument that cannot be serialized (a stream, a cycle) is recorded by its type names instead.
        catch (Exception)
#pragma warning restore CA1031
        {
            var byType = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (name, value) in arguments)
            {
                byType[name] = value is null or string ? value as string : value.GetType().ToString();
            }

            return JsonSerializer.Serialize(byType);
        }
    }

    // As the connector sends a function result: text as it is, an exception as its error line, anything else as JSON.
    private static string ResultText(object? result)
    {
        switch (result)
        {
            case null:
                return string.Empty;
            case string text:
                return text;
            case Exception exception:
                return "Error: Exception while invoking function. " + exception.Message;
            case ChatMessageContent content:
                return content.ToString();
        }

        try
        {
            return JsonSerializer.Serialize(result, result.GetType());
        }
#pragma warning disable CA1031 // A result that cannot be serialized is recorded by its type name.
        catch (Exception)
#pragma warning restore CA1031
        {
            return result.GetType().ToString();
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
