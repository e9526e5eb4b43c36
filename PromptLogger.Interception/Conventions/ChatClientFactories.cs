using System.Collections.Concurrent;
using System.Reflection;
using PromptLogging.Interception.Adapters;

namespace PromptLogging.Interception.Conventions;

/// <summary>
/// Recognises the methods of a root client that hand out chat clients, such as the OpenAI SDK's
/// <c>OpenAIClient.GetChatClient(model)</c> and <c>GetResponsesClient()</c> (and <c>AzureOpenAIClient</c>'s overrides)
/// or the Anthropic SDK's <c>IAnthropicClient.Messages</c>: on an attached root client they hand out attached clients.
/// </summary>
internal static class ChatClientFactories
{
    // Asked on every call of such a method through a proxy: answered once per method.
    private static readonly ConcurrentDictionary<MethodInfo, bool> Answers = new();

    /// <summary>Whether an adapter of the method's family (see <see cref="ClientAdapter.HandsOutClients"/>) says <paramref name="method"/> hands out a client.</summary>
    public static bool Is(MethodInfo method) => Answers.TryGetValue(method, out var answer) ? answer : Answers.GetOrAdd(method, Decide);

    private static bool Decide(MethodInfo method)
    {
        if (method.IsStatic)
        {
            return false;
        }

        foreach (var adapter in ClientAdapters.For(method))
        {
            if (adapter.HandsOutClients(method))
            {
                return true;
            }
        }

        return false;
    }
}
