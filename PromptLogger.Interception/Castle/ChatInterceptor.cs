using Castle.DynamicProxy;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Conventions;

namespace PromptLogging.Interception.Castle;

/// <summary>
/// Records each chat call of one Castle proxy: copies the request, proceeds to the original client, and observes
/// the result. Only chat methods reach it, and the methods that hand out chat clients, whose clients it attaches too
/// (see <see cref="ChatMethodHook"/>); it never changes what the caller gets.
/// </summary>
internal sealed class ChatInterceptor : IInterceptor
{
    public ChatInterceptor(ProxiedClient client) => Client = client;

    public ProxiedClient Client { get; }

    public void Intercept(IInvocation invocation)
    {
        var plan = Client.Convention.Find(invocation.Method);
        if (plan is null)
        {
            invocation.Proceed();
            if (ChatClientFactories.Is(invocation.Method))
            {
                invocation.ReturnValue = Client.AttachChild(invocation.ReturnValue, invocation.Method.ReturnType);
            }

            return;
        }

        var call = Client.Begin(plan, invocation.Arguments);
        try
        {
            invocation.Proceed();
        }
        catch (Exception exception)
        {
            call.Fail(exception);
            throw;
        }

        invocation.ReturnValue = call.Complete(invocation.ReturnValue);
    }
}
