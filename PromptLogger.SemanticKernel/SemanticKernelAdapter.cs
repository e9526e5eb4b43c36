using System.Reflection;
using PromptLogging.Interception.Adapters;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Readers;
using PromptLogging.Interception.Readers.SemanticKernel;

[assembly: ClientAdapter(typeof(SemanticKernelAdapter))]

// Beside the other families' adapters.
namespace PromptLogging.Interception.Adapters;

/// <summary>Semantic Kernel for PromptLogger: the calls of its chat completion services (<c>IChatCompletionService</c>).</summary>
internal sealed class SemanticKernelAdapter : ClientAdapter
{
    public override CallReader? CreateReader(ParameterInfo[] parameters, ReturnShape shape, Type itemType) =>
        SemanticKernelChatReader.TryCreate(parameters, shape, itemType);
}
