using System.Reflection;
using Anthropic;
using Anthropic.Services;

namespace PromptLogging.Interception.Readers.Anthropic;

/// <summary>
/// The members of the Anthropic SDK's interfaces that hand out what makes the calls: <c>IAnthropicClient.Messages</c>
/// and the <c>WithOptions</c> copies of a client or its messages service. On an attached client they hand out attached
/// ones (see <see cref="Conventions.ChatClientFactories"/>).
/// </summary>
/// <remarks>
/// Only the interfaces' members: the <c>AnthropicClient</c> class's <c>Messages</c> is not virtual, so no proxy of
/// the class can hand out an attached service; it is attached as <c>IAnthropicClient</c>.
/// </remarks>
internal static class AnthropicServices
{
    /// <summary>Whether <paramref name="method"/> is one of those members.</summary>
    public static bool HandsOut(MethodInfo method) =>
        (method.DeclaringType == typeof(IAnthropicClient) || method.DeclaringType == typeof(IMessageService))
        && (method.ReturnType == typeof(IMessageService) || method.ReturnType == typeof(IAnthropicClient));
}
