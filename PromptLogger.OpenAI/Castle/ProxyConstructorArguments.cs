using System.ClientModel.Primitives;
using System.Reflection;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;

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

        if (classType == typeof(ResponsesClient) && target is ResponsesClient responses && responses.Pipeline is { } responsesPipeline)
        {
            return [responsesPipeline, new ResponsesClientOptions { Endpoint = responses.Endpoint }];
        }

        if (classType == typeof(OpenAIClient) && target is OpenAIClient root && root.Pipeline is { } rootPipeline)
        {
            return [rootPipeline, new OpenAIClientOptions { Endpoint = root.Endpoint }];
        }

        if (classType.IsSubclassOf(typeof(OpenAIClient)) && target is OpenAIClient derived && derived.Pipeline is { } derivedPipeline)
        {
            return DerivedRootArguments(classType, derivedPipeline, derived.Endpoint);
        }

        return null;
    }

    /// <summary>
    /// Whether the proxy of <paramref name="classType"/> over <paramref name="target"/> runs the class's own code on
    /// itself instead of forwarding to the target (built through the constructor above, it has the target's pipeline
    /// and endpoint, so it sends what the target would). The OpenAI <see cref="ResponsesClient"/>: its convenience
    /// methods, run on the target, would call the target's protocol methods where no proxy sees them, and a streamed
    /// result (<c>AsyncStreamingResult</c>, sealed to the SDK) cannot be wrapped; run on the proxy, they call the
    /// proxy's protocol methods, which record every path once. Only the class itself
    /// and a subclass that overrides nothing (<c>OpenAIClient.GetResponsesClient()</c> hands out one): a subclass that
    /// overrides members (another package's) may change what the class's code sends, so it is forwarded to as usual.
    /// </summary>
    public static bool RunsOnItself(Type classType, object target) =>
        classType == typeof(ResponsesClient) && target is ResponsesClient && OverridesNothing(target.GetType(), classType);

    private static bool OverridesNothing(Type type, Type classType)
    {
        for (var current = type; current != classType && current is not null; current = current.BaseType)
        {
            if (current.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Length > 0)
            {
                return false;
            }
        }

        return true;
    }

    // A root client of another package built on the SDK's (Azure.AI.OpenAI's AzureOpenAIClient) has a protected
    // (ClientPipeline, Uri endpoint, TOptions options) constructor; its options matter only to the clients it creates,
    // and those come from the original (GetChatClient is forwarded to it).
    private static object[]? DerivedRootArguments(Type classType, ClientPipeline pipeline, Uri endpoint)
    {
        foreach (var constructor in classType.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            var parameters = constructor.GetParameters();
            if ((constructor.IsPublic || constructor.IsFamily || constructor.IsFamilyOrAssembly)
                && parameters.Length == 3
                && parameters[0].ParameterType == typeof(ClientPipeline)
                && parameters[1].ParameterType == typeof(Uri)
                && parameters[2].ParameterType.IsSubclassOf(typeof(ClientPipelineOptions))
                && DefaultOptions(parameters[2].ParameterType) is { } options)
            {
                return [pipeline, endpoint, options];
            }
        }

        return null;
    }

    // The options type's public constructor whose parameters are all optional, called with their defaults.
    private static object? DefaultOptions(Type optionsType)
    {
        foreach (var constructor in optionsType.GetConstructors())
        {
            var parameters = constructor.GetParameters();
            if (Array.TrueForAll(parameters, static p => p.IsOptional))
            {
                return constructor.Invoke(Array.ConvertAll(parameters, static p => p.DefaultValue));
            }
        }

        return null;
    }
}
