using System.Reflection;
using OpenAI.Chat;

namespace PromptLogging.Interception.Conventions;

/// <summary>
/// Recognises the methods of a root client that hand out chat clients, such as the OpenAI SDK's
/// <c>OpenAIClient.GetChatClient(model)</c> (and <c>AzureOpenAIClient</c>'s override): on an attached root client
/// they hand out attached chat clients.
/// </summary>
internal static class ChatClientFactories
{
    /// <summary>Whether <paramref name="method"/> is an instance <c>Get…Client</c> method returning an OpenAI <see cref="ChatClient"/>.</summary>
    public static bool Is(MethodInfo method) =>
        !method.IsStatic
        && method.ReturnType.IsAssignableTo(typeof(ChatClient))
        && method.Name.StartsWith("Get", StringComparison.Ordinal)
        && method.Name.EndsWith("Client", StringComparison.Ordinal);
}
