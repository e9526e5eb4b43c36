using Microsoft.Extensions.DependencyInjection;
using PromptLogging;
using PromptLogging.ChatClients;

namespace Microsoft.Extensions.AI;

/// <summary>Adds PromptLogger to a Microsoft.Extensions.AI chat pipeline.</summary>
public static class PromptLoggingChatClientBuilderExtensions
{
    /// <summary>Records every chat call through this point of the pipeline into a <see cref="PromptLogger"/>.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="logger">
    /// The logger; <see langword="null"/> (the default) takes the one registered in the pipeline's services with
    /// <c>services.AddPromptLogger(…)</c>.
    /// </param>
    /// <param name="configure">Sets up the <see cref="PromptLoggingChatClient"/>, for example its namespace.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// When the pipeline is built: no <paramref name="logger"/> was given and none is registered.
    /// </exception>
    /// <example>
    /// <code>
    /// IChatClient client = new ChatClientBuilder(openAIClient.GetChatClient("gpt-4.1").AsIChatClient())
    ///     .UsePromptLogger(logger)
    ///     .Build();
    /// </code>
    /// </example>
    public static ChatClientBuilder UsePromptLogger(this ChatClientBuilder builder, PromptLogger? logger = null, Action<PromptLoggingChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((innerClient, services) =>
        {
            var resolved = logger ?? services.GetService<PromptLogger>() ?? throw new InvalidOperationException(
                "UsePromptLogger found no PromptLogger: pass one (UsePromptLogger(logger)) or register one with services.AddPromptLogger(...).");
            var client = new PromptLoggingChatClient(innerClient, resolved);
            configure?.Invoke(client);
            return client;
        });
    }
}
