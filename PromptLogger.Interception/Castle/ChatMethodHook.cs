using System.Reflection;
using Castle.DynamicProxy;
using PromptLogging.Interception.Conventions;

namespace PromptLogging.Interception.Castle;

/// <summary>
/// Tells Castle which methods to intercept: only chat methods, and the methods of a root client that hand out chat
/// clients (<see cref="ChatClientFactories"/>). Everything else is generated as a plain forward to
/// the target, so it never enters the interceptor.
/// </summary>
/// <remarks>
/// Castle caches proxy types by their generation options, hook included, so equality matters: two hooks are equal
/// when they use the same (interned) convention.
/// </remarks>
internal sealed class ChatMethodHook : IProxyGenerationHook
{
    public ChatMethodHook(ChatMethodConvention convention) => Convention = convention;

    public ChatMethodConvention Convention { get; }

    public bool ShouldInterceptMethod(Type type, MethodInfo methodInfo) =>
        Convention.Find(methodInfo) is not null || ChatClientFactories.Is(methodInfo);

    public void NonProxyableMemberNotification(Type type, MemberInfo memberInfo)
    {
        // Non-virtual members stay the base class's own; AttachToClient has already checked that chat methods are virtual.
    }

    public void MethodsInspected()
    {
    }

    public override bool Equals(object? obj) => obj is ChatMethodHook other && ReferenceEquals(other.Convention, Convention);

    public override int GetHashCode() => Convention.GetHashCode();
}
