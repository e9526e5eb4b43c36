using System.Reflection;
using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Dispatch;

/// <summary>
/// The <see cref="DispatchProxy"/> that stands in for an interface: forwards every call to the original client and
/// records the chat calls.
/// </summary>
/// <remarks>
/// Not sealed because <see cref="DispatchProxy"/> derives the runtime proxy type from it. Calls are forwarded with
/// <see cref="BindingFlags.DoNotWrapExceptions"/>, so the caller receives the client's own exception object, with
/// its own stack trace, never a <see cref="TargetInvocationException"/>.
/// </remarks>
#pragma warning disable CA1852 // DispatchProxy emits a subclass of this type at run time.
internal class ChatDispatchProxy : DispatchProxy
#pragma warning restore CA1852
{
    private ProxiedClient? _client;

    public ProxiedClient Client => _client ?? throw new InvalidOperationException("The proxy was not initialized.");

    /// <summary>Creates a proxy implementing <paramref name="interfaceType"/> over <paramref name="client"/>'s target.</summary>
    public static object Create(Type interfaceType, ProxiedClient client)
    {
        var proxy = Create(interfaceType, typeof(ChatDispatchProxy));
        ((ChatDispatchProxy)proxy)._client = client;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var client = Client;
        args ??= [];
        var plan = client.Convention.Find(targetMethod);
        if (plan is null)
        {
            return targetMethod.Invoke(client.Target, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null);
        }

        var call = client.Begin(plan, args);
        object? returned;
        try
        {
            returned = targetMethod.Invoke(client.Target, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null);
        }
        catch (Exception exception)
        {
            call.Fail(exception);
            throw;
        }

        return call.Complete(returned);
    }
}
