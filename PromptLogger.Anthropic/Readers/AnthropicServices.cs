using System.Reflection;
using Anthropic;
using Anthropic.Services;
using BetaMessageService = Anthropic.Services.Beta.IMessageService;

namespace PromptLogging.Interception.Readers.Anthropic;

/// <summary>
/// The members of the Anthropic SDK's interfaces that hand out what makes the calls: <c>IAnthropicClient.Messages</c>,
/// <c>IAnthropicClient.Beta</c> and its <c>Messages</c>, and the <c>WithOptions</c> copies of each. On an attached
/// client they hand out attached ones (see <see cref="Conventions.ChatClientFactories"/>).
/// </summary>
/// <remarks>
/// Only the interfaces' members: the <c>AnthropicClient</c> class's <c>Messages</c> is not virtual, so no proxy of
/// the class can hand out an attached service; it is attached as <c>IAnthropicClient</c>.
/// </remarks>
internal static class AnthropicServices
{
    // The interfaces on the way from the root client to a messages service, each handing out the next (or a copy of itself).
    private static readonly Type[] Interfaces =
    [
        typeof(IAnthropicClient), typeof(IMessageService), typeof(IBetaService), typeof(BetaMessageService),
    ];

    /// <summary>Whether <paramref name="method"/> is one of those members.</summary>
    public static bool HandsOut(MethodInfo method) =>
        Array.IndexOf(Interfaces, method.DeclaringType) >= 0 && Array.IndexOf(Interfaces, method.ReturnType) >= 0;
}
