using System.ClientModel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI.Chat;

namespace PromptLogging.TestHost;

/// <summary>Attaches to a client whose adapter package is missing from this program: AttachToClient must refuse.</summary>
internal static class AttachWithoutAdapter
{
    public static int Run(string family)
    {
        using var logger = new PromptLogger("without-adapter", "sqlite:///" + Path.Combine(Path.GetTempPath(), $"without-adapter-{Guid.NewGuid():N}.db"));
        try
        {
            // Nothing is sent: the clients point at a port nothing listens on, and no call is made.
            var endpoint = new Uri("http://127.0.0.1:9/v1");
            _ = family switch
            {
                "openai" => (object)logger.AttachToClient(new ChatClient("gpt-4.1", new ApiKeyCredential("key"), new OpenAI.OpenAIClientOptions { Endpoint = endpoint })),
                "anthropic" => logger.AttachToClient<Anthropic.IAnthropicClient>(new Anthropic.AnthropicClient { ApiKey = "key", BaseUrl = endpoint.ToString() }),
                "semantic-kernel" => logger.AttachToClient<IChatCompletionService>(new OpenAIChatCompletionService("gpt-4.1", new OpenAI.OpenAIClient(new ApiKeyCredential("key"), new OpenAI.OpenAIClientOptions { Endpoint = endpoint }))),
                _ => throw new InvalidOperationException($"unknown family {family}"),
            };
            Console.WriteLine("attached");
            return 1;
        }
        catch (ArgumentException exception)
        {
            Console.WriteLine(exception.Message);
            return 0;
        }
    }
}
