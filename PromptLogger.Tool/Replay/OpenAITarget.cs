using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace PromptLogging.Tool.Replay;

/// <summary>
/// The client <c>replay</c> sends prompts to: the OpenAI SDK's <see cref="ChatClient"/> for a model at any
/// OpenAI-compatible endpoint, as a Microsoft.Extensions.AI <see cref="IChatClient"/>.
/// </summary>
/// <remarks>
/// Retries are the SDK's own <see cref="ClientRetryPolicy"/>: a 429 or 5xx answer, or a dropped connection, is tried
/// again at most <see cref="MaxRetries"/> times with exponential backoff, waiting what the server's <c>Retry-After</c>
/// asks when it says; then the call fails (and is recorded as failed).
/// </remarks>
internal static class OpenAITarget
{
    /// <summary>Retries after the first attempt: the SDK's default, said here so that it stays bounded whatever the default becomes.</summary>
    public const int MaxRetries = 3;

    public static IChatClient Create(string model, string apiKey, Uri? endpoint)
    {
        var options = new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(MaxRetries) };
        if (endpoint is not null)
        {
            options.Endpoint = endpoint;
        }

        return new ChatClient(model, new ApiKeyCredential(apiKey), options).AsIChatClient();
    }
}
