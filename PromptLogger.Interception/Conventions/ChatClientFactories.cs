using System.Reflection;
using OpenAI.Chat;
using OpenAI.Responses;

namespace PromptLogging.Interception.Conventions;

/// <summary>
/// Recognises the methods of a root client that hand out chat clients, such as the OpenAI SDK's
/// <c>OpenAIClient.GetChatClient(model)</c> and <c>GetResponsesClient()</c> (and <c>AzureOpenAIClient</c>'s overrides):
/// on an attached root client they hand out attached clients.
/// </summary>
internal static class ChatClientFactories
{
    /// <summary>
    /// Whether <paramref name="method"/> is an instance <c>Get…Client</c> method returning an OpenAI
    /// <see cref="ChatClient"/> or <see cref="ResponsesClient"/>; or the Anthropic SDK's <c>IAnthropicClient.Messages</c>
    /// or a <c>WithOptions</c> (see <see cref="Readers.Anthropic.AnthropicServices"/>).
    /// </summary>
    public static bool Is(MethodInfo method) =>
        (!method.IsStatic
         && (method.ReturnType.IsAssignableTo(typeof(ChatClient)) || method.ReturnType.IsAssignableTo(typeof(ResponsesClient)))
         && method.Name.StartsWith("Get", StringComparison.Ordinal)
         && method.Name.EndsWith("Client", StringComparison.Ordinal))
        || Readers.Anthropic.AnthropicServices.HandsOut(method);
}
