using Castle.DynamicProxy;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Conventions;

namespace PromptLogging.Interception.Castle;

/// <summary>Builds Castle DynamicProxy proxies over an original client, from one shared generator.</summary>
internal static class CastleProxies
{
    // One generator for the process: it caches the proxy types it emits.
    private static readonly ProxyGenerator Generator = new();

    /// <summary>A subclass of <paramref name="classType"/> whose chat methods record and forward to the client's target.</summary>
    public static object CreateClassProxy(Type classType, ProxiedClient client) =>
        Generator.CreateClassProxyWithTarget(classType, client.Target, OptionsFor(client.Convention), new ChatInterceptor(client));

    /// <summary>An implementation of <paramref name="interfaceType"/> that forwards to the client's target.</summary>
    public static object CreateInterfaceProxy(Type interfaceType, ProxiedClient client) =>
        Generator.CreateInterfaceProxyWithTarget(interfaceType, client.Target, OptionsFor(client.Convention), new ChatInterceptor(client));

    /// <summary>The proxy state behind <paramref name="proxy"/> when it is one of ours.</summary>
    public static ProxiedClient? ClientOf(object proxy)
    {
        if (proxy is not IProxyTargetAccessor accessor)
        {
            return null;
        }

        foreach (var interceptor in accessor.GetInterceptors())
        {
            if (interceptor is ChatInterceptor chat)
            {
                return chat.Client;
            }
        }

        return null;
    }

    private static ProxyGenerationOptions OptionsFor(ChatMethodConvention convention) => new(new ChatMethodHook(convention));
}
