using OpenAI;
using OpenAI.Chat;

namespace PromptLogging.Interception.Castle;

/// <summary>
/// The constructor arguments that give a class proxy the original's own state, for the classes whose state lives
/// outside their virtual members.
/// </summary>
/// <remarks>
/// A class proxy is a subclass instance whose base constructor runs; its non-virtual members (the OpenAI SDK's
/// <c>Model</c>, <c>Endpoint</c>, <c>Pipeline</c>, and the internal methods Microsoft.Extensions.AI's
/// <c>AsIChatClient()</c> calls on it) read that base state. The SDK's clients have a <c>protected internal</c>
/// constructor from a pipeline; built through it from the original's values, the proxy reads what the original reads.
/// </remarks>
internal static class ProxyConstructorArguments
{
    /// <summary>
    /// The arguments for a proxy of <paramref name="classType"/> over <paramref name="target"/>, or
    /// <see langword="null"/> when the class is not one of those (then the parameterless constructor runs).
    /// </summary>
    public static object[]? For(Type classType, object target)
    {
        if (classType == typeof(ChatClient) && target is ChatClient chat && chat.Pipeline is { } chatPipeline && !string.IsNullOrEmpty(chat.Model))
        {
            return [chatPipeline, chat.Model, new OpenAIClientOptions { Endpoint = chat.Endpoint }];
        }

        if (classType == typeof(OpenAIClient) && target is OpenAIClient root && root.Pipeline is { } rootPipeline)
        {
            return [rootPipeline, new OpenAIClientOptions { Endpoint = root.Endpoint }];
        }

        return null;
    }
}
