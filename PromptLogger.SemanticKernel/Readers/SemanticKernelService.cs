using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Services;

namespace PromptLogging.Interception.Readers.SemanticKernel;

/// <summary>What a Semantic Kernel service says about itself: its model, and the provider its connector talks to.</summary>
internal static class SemanticKernelService
{
    private const string ConnectorsNamespace = "Microsoft.SemanticKernel.Connectors.";

    /// <summary>The service's model (its <c>ModelId</c> attribute), looked up once per proxy.</summary>
    public static string? ModelOf(Calls.ProxiedClient client) => FactsOf(client).Model;

    /// <summary>The provider, from the connector's namespace: <c>openai</c> for the OpenAI connector, <c>azure.ai.openai</c> for Azure's (as Microsoft.Extensions.AI names them), else the connector's name in lowercase.</summary>
    public static string? ProviderOf(Calls.ProxiedClient client) => FactsOf(client).Provider;

    private static Facts FactsOf(Calls.ProxiedClient client)
    {
        if (client.Description is Facts facts)
        {
            return facts;
        }

        string? model = null;
        try
        {
            model = (client.Target as IAIService)?.GetModelId();
        }
#pragma warning disable CA1031 // A service whose attributes throw is recorded without a model.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            client.ReportFailure(exception);
        }

        facts = new Facts(string.IsNullOrEmpty(model) ? null : model, ProviderOf(client.Target.GetType().Namespace));
        client.Description = facts;
        return facts;
    }

    private static string? ProviderOf(string? @namespace)
    {
        if (@namespace is null || !@namespace.StartsWith(ConnectorsNamespace, StringComparison.Ordinal))
        {
            return null;
        }

        var connector = @namespace[ConnectorsNamespace.Length..];
        return connector switch
        {
            "OpenAI" => OpenAIChatReader.Provider,
            "AzureOpenAI" => "azure.ai.openai",
            _ => connector.ToLowerInvariant(),
        };
    }

    private sealed record Facts(string? Model, string? Provider);
}
