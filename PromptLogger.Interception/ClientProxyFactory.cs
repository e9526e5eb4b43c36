using System.Reflection;
using PromptLogging.Interception.Adapters;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Castle;
using PromptLogging.Interception.Conventions;
using PromptLogging.Interception.Dispatch;

namespace PromptLogging.Interception;

/// <summary>
/// Builds the proxy that stands in for a language-model client: every call is forwarded to the original, and the
/// chat calls are reported to an <see cref="ICapturedCallSink"/>.
/// </summary>
/// <remarks>
/// <para>
/// An interface is proxied with <see cref="DispatchProxy"/> (or Castle DynamicProxy's interface proxy where
/// <see cref="DispatchProxy"/> cannot build the type); a class with virtual chat methods, such as the OpenAI SDK's
/// <c>ChatClient</c>, with a Castle class proxy over the original instance. Non-chat members are forwarded untouched.
/// </para>
/// <para>
/// Thread-safe: a proxy may be called from any number of threads at once, as the original could. The caller sees
/// what it would have seen without the proxy: the same results, the same exception objects, the same
/// cancellations; streams stay lazy and are recorded when the caller finishes, abandons or fails them.
/// </para>
/// <para>Most applications call <c>PromptLogger.AttachToClient</c>, which uses this factory with the logger as the sink.</para>
/// </remarks>
internal static class ClientProxyFactory
{
    /// <summary>
    /// Starts the one-time, type-independent cost of the first class proxy of the process on a background thread, so
    /// that it is paid before (or while) an application attaches. Called when a logger is created.
    /// </summary>
    internal static void WarmUpInBackground() => CastleProxies.WarmUpInBackground();

    /// <summary>Returns a <typeparamref name="T"/> that forwards to <paramref name="client"/> and reports its chat calls to <paramref name="sink"/>.</summary>
    /// <typeparam name="T">The type to proxy: an interface, or a non-sealed class whose chat methods are virtual.</typeparam>
    /// <param name="client">The original client; it keeps doing the work.</param>
    /// <param name="sink">Receives every chat call, once each.</param>
    /// <param name="options">Extra chat method names, and where failures of recording are reported; default none.</param>
    /// <param name="namespace">The namespace to store the calls under; null for the sink's own.</param>
    /// <returns>
    /// The proxy; or <paramref name="client"/> itself when it already is a proxy reporting to <paramref name="sink"/>, or
    /// an <c>IChatClient</c> bridged (<c>AsIChatClient()</c>) over an OpenAI <c>ChatClient</c> that is (attaching twice
    /// does not record twice).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="sink"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <typeparamref name="T"/> has nothing to intercept: it is sealed, has no chat method, or its chat methods are not
    /// virtual. The message says what to attach to instead. Or <typeparamref name="T"/> is a client SDK's (OpenAI,
    /// Azure OpenAI, Anthropic, Semantic Kernel) whose adapter package the application does not reference: the message
    /// names the package to add.
    /// </exception>
    public static T Create<T>(T client, ICapturedCallSink sink, InterceptionOptions? options = null, string? @namespace = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sink);
        options?.Validate();
        ClientAdapters.Require(typeof(T), nameof(client));

        if (ClientOf(client) is { } existing && ReferenceEquals(existing.Sink, sink) || IsBridgeOverAttached(client, sink))
        {
            return client;
        }

        var type = typeof(T);
        var convention = ChatMethodConvention.For(options?.ChatMethodNames);
        var proxied = new ProxiedClient(client, convention, sink, options?.RecordingFailed, @namespace);
        return type.IsInterface
            ? (T)CreateInterfaceProxy(type, proxied)
            : (T)CreateClassProxy(type, proxied);
    }

    /// <summary>The proxy state behind <paramref name="client"/> when it is a PromptLogger proxy.</summary>
    internal static ProxiedClient? ClientOf(object client) =>
        client is ChatDispatchProxy dispatch ? dispatch.Client : CastleProxies.ClientOf(client);

    // attached.AsIChatClient(): every call of the bridge already reaches the attached ChatClient's (or ResponsesClient's)
    // protocol methods, or the attached IAnthropicClient's Messages. Only a loaded adapter's clients can have been attached.
    internal static bool IsBridgeOverAttached(object client, ICapturedCallSink sink)
    {
        try
        {
            if (client is not Microsoft.Extensions.AI.IChatClient chat)
            {
                return false;
            }

            foreach (var adapter in ClientAdapters.Loaded)
            {
                foreach (var bridged in adapter.BridgedClientTypes)
                {
                    if (chat.GetService(bridged) is { } inner
                        && !ReferenceEquals(inner, client)
                        && ClientOf(inner) is { } attached
                        && ReferenceEquals(attached.Sink, sink))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
#pragma warning disable CA1031 // A client whose GetService throws is simply attached.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static object CreateInterfaceProxy(Type type, ProxiedClient client)
    {
        if (HandsOutChatClients(type))
        {
            // A root interface (the Anthropic SDK's IAnthropicClient) whose members hand out clients to attach: Castle's
            // interceptor attaches them.
            return CastleProxies.CreateInterfaceProxy(type, client);
        }

        if (!ChatMethodsOf(type, client.Convention).Any())
        {
            throw new ArgumentException(
                $"PromptLogger cannot attach to {type.FullName}: it has no method that looks like a chat call. " +
                NothingToInterceptHelp(client.Target.GetType(), client.Convention), nameof(client));
        }

        try
        {
            return ChatDispatchProxy.Create(type, client);
        }
#pragma warning disable CA1031 // DispatchProxy cannot build every interface (init-only setters, some generics); Castle can.
        catch (Exception)
#pragma warning restore CA1031
        {
            return CastleProxies.CreateInterfaceProxy(type, client);
        }
    }

    private static object CreateClassProxy(Type type, ProxiedClient client)
    {
        if (type.IsSealed)
        {
            throw new ArgumentException(
                $"PromptLogger cannot attach to {type.FullName}: the class is sealed, so no proxy can stand in for it. " +
                InterfaceHint(client.Target.GetType(), client.Convention), nameof(client));
        }

        var chatMethods = ChatMethodsOf(type, client.Convention).ToList();
        if (chatMethods.Count == 0 && HandsOutChatClients(type))
        {
            return CastleProxies.CreateClassProxy(type, client);
        }

        if (chatMethods.Count == 0)
        {
            throw new ArgumentException(
                $"PromptLogger cannot attach to {type.FullName}: it has no method that looks like a chat call. " +
                NothingToInterceptHelp(client.Target.GetType(), client.Convention), nameof(client));
        }

        if (!chatMethods.Exists(IsOverridable))
        {
            var names = string.Join(", ", chatMethods.Select(static m => m.Name).Distinct());
            throw new ArgumentException(
                $"PromptLogger cannot attach to {type.FullName}: its chat methods ({names}) are not virtual, so a proxy " +
                "cannot override them. " + InterfaceHint(client.Target.GetType(), client.Convention), nameof(client));
        }

        var constructor = type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes);
        if (CastleProxies.HasStateConstructor(type, client.Target))
        {
            return CastleProxies.CreateClassProxy(type, client);
        }

        if (constructor is null || !(constructor.IsPublic || constructor.IsFamily || constructor.IsFamilyOrAssembly))
        {
            throw new ArgumentException(
                $"PromptLogger cannot attach to {type.FullName}: it has no parameterless constructor a proxy could call. " +
                InterfaceHint(client.Target.GetType(), client.Convention), nameof(client));
        }

        return CastleProxies.CreateClassProxy(type, client);
    }

    private static IEnumerable<MethodInfo> ChatMethodsOf(Type type, ChatMethodConvention convention)
    {
        IEnumerable<MethodInfo> methods = type.IsInterface
            ? type.GetMethods().Concat(type.GetInterfaces().SelectMany(static i => i.GetMethods()))
            : type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Where(static m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly);
        return methods.Where(m => convention.Find(m) is not null);
    }

    private static bool IsOverridable(MethodInfo method) => method.IsVirtual && !method.IsFinal;

    // A root client (OpenAIClient, AzureOpenAIClient) records nothing itself but hands out chat clients to attach.
    private static bool HandsOutChatClients(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(static m => IsOverridable(m) && ChatClientFactories.Is(m));

    private static string InterfaceHint(Type clientType, ChatMethodConvention convention)
    {
        var interfaces = clientType.GetInterfaces().Where(i => ChatMethodsOf(i, convention).Any() || HandsOutChatClients(i)).Select(static i => i.Name).ToList();
        return interfaces.Count > 0
            ? $"Attach to an interface it implements instead, for example AttachToClient<{interfaces[0]}>(client)."
            : "Attach to an interface the client implements, or to a wrapper class whose chat methods are virtual.";
    }

    private static string NothingToInterceptHelp(Type clientType, ChatMethodConvention convention) =>
        "Attach to a client that makes chat calls: a Microsoft.Extensions.AI IChatClient, your own LLM interface, or " +
        "with its PromptLogger package: an OpenAI ChatClient or ResponsesClient, an OpenAIClient or AzureOpenAIClient " +
        "(whose GetChatClient and GetResponsesClient hand out attached clients) with PromptLogger.OpenAI; an Anthropic " +
        "IAnthropicClient (whose Messages is attached) or IMessageService with PromptLogger.Anthropic; a Semantic Kernel " +
        "IChatCompletionService with PromptLogger.SemanticKernel. Chat methods are recognised by name (CompleteChat, GetResponseAsync, Complete, Generate, Chat, Ask, Prompt and " +
        "their Async/Streaming forms, plus PromptLoggerOptions.ChatMethodNames) and must take messages or a prompt " +
        "string and return a result; mark other methods with [PromptLog]. " + InterfaceHint(clientType, convention);
}
