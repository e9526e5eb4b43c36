using Castle.DynamicProxy;
using PromptLogging.Interception.Adapters;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Conventions;

namespace PromptLogging.Interception.Castle;

/// <summary>Builds Castle DynamicProxy proxies over an original client, from one shared generator.</summary>
internal static class CastleProxies
{
    // One generator for the process: it caches the proxy types it emits.
    private static readonly ProxyGenerator Generator = new();

    private static int _warming;

    /// <summary>
    /// Starts, once per process and on a thread-pool thread, what every first Castle proxy pays for whatever its type:
    /// the dynamic assembly and the JIT of Castle's emitter (about 70 ms here) — and, when the OpenAI SDK is loaded
    /// and its adapter is there, its <c>ChatClient</c> proxy type (<see cref="ClientAdapter.WarmUpClassProxyType"/>). A later first attach then pays only for its own type (or nothing), or waits
    /// for the warm-up to finish, never much longer than without it.
    /// </summary>
    public static void WarmUpInBackground()
    {
        if (Interlocked.Exchange(ref _warming, 1) != 0)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(
            static _ =>
            {
                try
                {
                    // The most common class to attach to: when the application already loaded the OpenAI SDK, emit its
                    // proxy type now (cached by type and options), so attaching to a ChatClient costs no emit at all.
                    // Otherwise a tiny class, which still warms Castle itself.
                    var options = OptionsFor(ChatMethodConvention.For(null));
                    if (AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(static a => a.GetName().Name == "OpenAI") is { } openAI
                        && ClientAdapters.For(openAI)?.WarmUpClassProxyType is { } classType)
                    {
                        Generator.ProxyBuilder.CreateClassProxyTypeWithTarget(classType, Type.EmptyTypes, options);
                    }
                    else
                    {
                        Generator.CreateClassProxyWithTarget(new WarmUpTarget(), options, new PassThrough());
                    }
                }
#pragma warning disable CA1031 // A warm-up that fails costs nothing but the time it saves: the first real proxy does the work.
                catch
#pragma warning restore CA1031
                {
                }
            },
            null);
    }

    /// <summary>
    /// A subclass of <paramref name="classType"/> whose chat methods record and forward to the client's target. Built
    /// through the constructor that copies the target's own state when the class's adapter knows one (see
    /// <see cref="ClientAdapter.ProxyConstructorArguments"/>), otherwise through the parameterless one. A class whose
    /// proxy runs its own code (<see cref="ClientAdapter.RunsOnItself"/>) gets a proxy without a target: its chat
    /// methods record and run the class's code on the proxy.
    /// </summary>
    public static object CreateClassProxy(Type classType, ProxiedClient client)
    {
        if (classType.IsInterface)
        {
            // A child handed out as an interface (the Anthropic SDK's IAnthropicClient.Messages): an interface proxy.
            return CreateInterfaceProxy(classType, client);
        }

        var options = OptionsFor(client.Convention);
        var interceptor = new ChatInterceptor(client);
        if (StateConstructorOf(classType, client.Target) is var (adapter, arguments))
        {
            if (adapter.RunsOnItself(classType, client.Target))
            {
                return Generator.CreateClassProxy(classType, options, arguments, interceptor);
            }

            try
            {
                return Generator.CreateClassProxyWithTarget(classType, client.Target, options, arguments, interceptor);
            }
#pragma warning disable CA1031 // A constructor that refuses the copied state leaves the proxy as it was before: parameterless.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        return Generator.CreateClassProxyWithTarget(classType, client.Target, options, interceptor);
    }

    /// <summary>Whether <paramref name="classType"/> can be proxied over <paramref name="target"/> without a parameterless constructor.</summary>
    public static bool HasStateConstructor(Type classType, object target) => StateConstructorOf(classType, target) is not null;

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

    // The adapter of the class's family (or of a base class's) that knows how to copy the target's state, and the arguments.
    private static (ClientAdapter Adapter, object[] Arguments)? StateConstructorOf(Type classType, object target)
    {
        foreach (var adapter in ClientAdapters.ForClass(classType))
        {
            if (adapter.ProxyConstructorArguments(classType, target) is { } arguments)
            {
                return (adapter, arguments);
            }
        }

        return null;
    }

    private static ProxyGenerationOptions OptionsFor(ChatMethodConvention convention) => new(new ChatMethodHook(convention));

    /// <summary>A class to proxy during warm-up: one chat-shaped virtual method, so the interception path is emitted too.</summary>
    public class WarmUpTarget
    {
        /// <summary>Never called.</summary>
        public virtual string Complete(string prompt) => prompt;
    }

    private sealed class PassThrough : IInterceptor
    {
        public void Intercept(IInvocation invocation) => invocation.Proceed();
    }
}
