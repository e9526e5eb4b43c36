using System.ClientModel;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using OpenAI.Responses;
using PromptLogging.Interception.Adapters;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Castle;
using PromptLogging.Interception.Conventions;
using PromptLogging.Interception.Readers;
using PromptLogging.Interception.Streams;

[assembly: ClientAdapter(typeof(OpenAIAdapter))]

// Not PromptLogging.OpenAI: a namespace of that name would hide the SDK's own from code in PromptLogging.*.
namespace PromptLogging.Interception.Adapters;

/// <summary>
/// The OpenAI .NET SDK (and Azure.AI.OpenAI's root client, built on it) for PromptLogger: its chat and Responses
/// clients' readers, the root clients' <c>Get…Client</c> methods, the class proxies' constructor arguments,
/// System.ClientModel's streams, and what Microsoft.Extensions.AI.OpenAI's bridges send.
/// </summary>
internal sealed class OpenAIAdapter : ClientAdapter
{
    private static readonly Type[] Bridged = [typeof(ChatClient), typeof(OpenAI.Responses.ResponsesClient)];

    public override bool TryDecide(MethodInfo method, out ChatMethodPlan? plan)
    {
        plan = null;
        if (!OpenAIResponsesReader.Owns(method))
        {
            return false;
        }

        // The Responses API client: only its protocol CreateResponse methods are calls to record (its GetResponse
        // fetches a stored response); its convenience methods reach them (see OpenAIResponsesReader).
        if (ReturnShapes.TryClassify(method.ReturnType, out var shape, out var itemType)
            && OpenAIResponsesReader.TryCreate(method, method.GetParameters(), shape, itemType) is { } reader)
        {
            plan = new ChatMethodPlan(reader, shape, itemType);
        }

        return true;
    }

    public override CallReader? CreateReader(ParameterInfo[] parameters, ReturnShape shape, Type itemType) =>
        OpenAIProtocolChatReader.TryCreate(parameters, shape, itemType)
        ?? OpenAIChatReader.TryCreate(parameters, shape, itemType);

    // OpenAIClient.GetChatClient(model) and GetResponsesClient() (and AzureOpenAIClient's overrides): instance Get…Client
    // methods returning a ChatClient or ResponsesClient.
    public override bool HandsOutClients(MethodInfo method) =>
        !method.IsStatic
        && (method.ReturnType.IsAssignableTo(typeof(ChatClient)) || method.ReturnType.IsAssignableTo(typeof(ResponsesClient)))
        && method.Name.StartsWith("Get", StringComparison.Ordinal)
        && method.Name.EndsWith("Client", StringComparison.Ordinal);

    public override object[]? ProxyConstructorArguments(Type classType, object target) =>
        Interception.Castle.ProxyConstructorArguments.For(classType, target);

    public override bool RunsOnItself(Type classType, object target) =>
        Interception.Castle.ProxyConstructorArguments.RunsOnItself(classType, target);

    public override IReadOnlyList<Type> BridgedClientTypes => Bridged;

    public override bool TryClassifyStream(Type genericDefinition, out ReturnShape shape)
    {
        shape = genericDefinition == typeof(CollectionResult<>) ? ReturnShape.CollectionResult
            : genericDefinition == typeof(AsyncCollectionResult<>) ? ReturnShape.AsyncCollectionResult
            : ReturnShape.Value;
        return shape != ReturnShape.Value;
    }

    public override ResultHandler? ResultHandlerFor(ReturnShape shape, Type itemType) => shape switch
    {
        ReturnShape.CollectionResult => (ResultHandler)Activator.CreateInstance(typeof(CollectionResultHandler<>).MakeGenericType(itemType))!,
        ReturnShape.AsyncCollectionResult => (ResultHandler)Activator.CreateInstance(typeof(AsyncCollectionResultHandler<>).MakeGenericType(itemType))!,
        _ => null,
    };

    public override Func<ChatOptions, JsonObject?>? ChatOptionsReader(IChatClient? client, string? providerName) =>
        OpenAIChatOptions.ReaderFor(client);

    // Microsoft.Extensions.AI's OpenAI client keeps the SDK's own reply (or update) as the raw representation.
    public override string? SystemFingerprintOf(object raw) => raw switch
    {
        ChatCompletion { SystemFingerprint: { Length: > 0 } fingerprint } => fingerprint,
        StreamingChatCompletionUpdate { SystemFingerprint: { Length: > 0 } fingerprint } => fingerprint,
        _ => null,
    };

    // The most common class to attach to: its proxy type is emitted ahead when the application loaded the SDK.
    public override Type? WarmUpClassProxyType => typeof(ChatClient);
}
