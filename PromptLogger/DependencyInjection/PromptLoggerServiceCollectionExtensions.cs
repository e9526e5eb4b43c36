using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PromptLogging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers PromptLogger in a service collection.</summary>
public static class PromptLoggerServiceCollectionExtensions
{
    /// <summary>The configuration section bound to <see cref="PromptLoggerOptions"/>: <c>PromptLogger</c>.</summary>
    public const string ConfigurationSection = "PromptLogger";

    /// <summary>
    /// Registers one <see cref="PromptLogger"/> for the application, created on first use and disposed — so flushed —
    /// with the container (the host).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options after the configuration section <c>PromptLogger</c> (if any) was bound.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// Options come from, in order: defaults; the <c>PromptLogger</c> section of the registered
    /// <see cref="IConfiguration"/> (for example <c>"PromptLogger": { "Namespace": "checkout", "Database":
    /// "sqlite:///prompts.db" }</c> in appsettings.json); then <paramref name="configure"/>. Unless set, problems are
    /// reported to the registered <see cref="ILoggerFactory"/> under the category <c>PromptLogging.PromptLogger</c>.
    /// </para>
    /// <para>
    /// To record an <see cref="AI.IChatClient"/> registered in the container, add the middleware to its pipeline:
    /// <c>services.AddChatClient(client).UsePromptLogger();</c>.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddPromptLogger(this IServiceCollection services, Action<PromptLoggerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider =>
        {
            var options = new PromptLoggerOptions();
            provider.GetService<IConfiguration>()?.GetSection(ConfigurationSection).Bind(options);
            configure?.Invoke(options);
            options.Logger ??= provider.GetService<ILoggerFactory>()?.CreateLogger(typeof(PromptLogger).FullName!);
            return new PromptLogger(options);
        });
        return services;
    }
}
