using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.TextGeneration;
using PromptLogging;
using PromptLogging.SemanticKernel;

namespace Microsoft.SemanticKernel;

/// <summary>Adds PromptLogger to a Semantic Kernel.</summary>
public static class PromptLoggerKernelBuilderExtensions
{
    /// <summary>
    /// Records every chat call of the kernel's chat services into a <see cref="PromptLogger"/>: each
    /// <see cref="IChatCompletionService"/> registered so far (by <c>AddOpenAIChatCompletion(…)</c> or another connector),
    /// and each Microsoft.Extensions.AI <see cref="IChatClient"/> (by <c>AddOpenAIChatClient(…)</c>), is replaced by
    /// <c>logger.AttachToClient(service)</c>, so <c>kernel.InvokePromptAsync(…)</c>, prompt functions, agents and direct
    /// calls of the service are all recorded.
    /// </summary>
    /// <param name="builder">The kernel builder, after its chat completion services were added.</param>
    /// <param name="logger">
    /// The logger; <see langword="null"/> (the default) takes the one registered in the kernel's services with
    /// <c>builder.Services.AddPromptLogger(…)</c>.
    /// </param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// No <see cref="IChatCompletionService"/> nor <see cref="IChatClient"/> is registered yet (call this after
    /// <c>AddOpenAIChatCompletion(…)</c>); or,
    /// when the service is first resolved, no <paramref name="logger"/> was given and none is registered.
    /// </exception>
    /// <remarks>
    /// A call is recorded as <see cref="PromptLogger.AttachToClient{T}(T)"/> records an <see cref="IChatCompletionService"/>
    /// call: once, however many requests the connector made for it (automatic function calling asks the model again after
    /// invoking the functions; the record is then the last request, with the tool calls and results in its messages). The
    /// text generation interface the OpenAI connector also implements (<c>ITextGenerationService</c>) keeps working and
    /// is not recorded.
    /// </remarks>
    /// <example>
    /// <code>
    /// Kernel kernel = Kernel.CreateBuilder()
    ///     .AddOpenAIChatCompletion("gpt-4.1", apiKey)
    ///     .UsePromptLogger(logger)
    ///     .Build();
    /// var reply = await kernel.InvokePromptAsync("What is the weather today?");   // recorded
    /// </code>
    /// </example>
    public static IKernelBuilder UsePromptLogger(this IKernelBuilder builder, PromptLogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var decorated = 0;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(IChatCompletionService))
            {
                services[i] = Decorate(services[i], logger, static (service, resolved) => LoggedChatCompletionService.Attach((IChatCompletionService)service, resolved));
                decorated++;
            }
            else if (services[i].ServiceType == typeof(IChatClient))
            {
                services[i] = Decorate(services[i], logger, static (client, resolved) => resolved.AttachToClient((IChatClient)client));
                decorated++;
            }
        }

        if (decorated == 0)
        {
            throw new InvalidOperationException(
                "UsePromptLogger found no IChatCompletionService nor IChatClient in the kernel builder: call it after the chat service is added, " +
                "for example Kernel.CreateBuilder().AddOpenAIChatCompletion(model, apiKey).UsePromptLogger(logger).");
        }

        return builder;
    }

    private static ServiceDescriptor Decorate(ServiceDescriptor descriptor, PromptLogger? logger, Func<object, PromptLogger, object> attach)
    {
        var create = OriginalFactory(descriptor);
        object Attached(IServiceProvider provider, object? key)
        {
            var resolved = logger ?? provider.GetService<PromptLogger>() ?? throw new InvalidOperationException(
                "UsePromptLogger found no PromptLogger: pass one (UsePromptLogger(logger)) or register one with builder.Services.AddPromptLogger(...).");
            return attach(create(provider, key), resolved);
        }

        return descriptor.IsKeyedService
            ? new ServiceDescriptor(descriptor.ServiceType, descriptor.ServiceKey, Attached, descriptor.Lifetime)
            : new ServiceDescriptor(descriptor.ServiceType, provider => Attached(provider, null), descriptor.Lifetime);
    }

    private static Func<IServiceProvider, object?, object> OriginalFactory(ServiceDescriptor descriptor)
    {
        if (descriptor.IsKeyedService)
        {
            if (descriptor.KeyedImplementationInstance is { } keyedInstance)
            {
                return (_, _) => keyedInstance;
            }

            if (descriptor.KeyedImplementationFactory is { } keyedFactory)
            {
                return keyedFactory;
            }

            var keyedType = descriptor.KeyedImplementationType!;
            return (provider, _) => ActivatorUtilities.CreateInstance(provider, keyedType);
        }

        if (descriptor.ImplementationInstance is { } instance)
        {
            return (_, _) => instance;
        }

        if (descriptor.ImplementationFactory is { } factory)
        {
            return (provider, _) => factory(provider);
        }

        var type = descriptor.ImplementationType!;
        return (provider, _) => ActivatorUtilities.CreateInstance(provider, type);
    }
}
