using System.Reflection;
using Anthropic;
using PromptLogging.Interception.Adapters;
using PromptLogging.Interception.Conventions;
using PromptLogging.Interception.Readers.Anthropic;

[assembly: ClientAdapter(typeof(AnthropicAdapter))]

// Not PromptLogging.Anthropic: a namespace of that name would hide the SDK's own from code in PromptLogging.*.
namespace PromptLogging.Interception.Adapters;

/// <summary>
/// The official Anthropic .NET SDK for PromptLogger: its Messages API calls (<c>Messages.Create</c>,
/// <c>CreateStreaming</c> and their beta forms), and the services <c>IAnthropicClient</c> hands out.
/// </summary>
internal sealed class AnthropicAdapter : ClientAdapter
{
    private static readonly Type[] Bridged = [typeof(IAnthropicClient)];

    // Messages.Create and CreateStreaming are recorded whatever their name, which is no chat name.
    public override bool TryDecide(MethodInfo method, out ChatMethodPlan? plan)
    {
        plan = AnthropicMessagesReader.PlanFor(method);
        return plan is not null;
    }

    public override bool HandsOutClients(MethodInfo method) => AnthropicServices.HandsOut(method);

    public override IReadOnlyList<Type> BridgedClientTypes => Bridged;
}
