using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Conventions;
using PromptLogging.Interception.Readers;

namespace PromptLogging.Interception.Adapters;

/// <summary>
/// What PromptLogger knows of one family of client SDKs (the OpenAI SDK, the Anthropic SDK, Semantic Kernel), shipped
/// in that family's package (<c>PromptLogger.OpenAI</c>, …) so that only the applications using the SDK restore it.
/// </summary>
/// <remarks>
/// The core finds an adapter by the assembly of a type it meets (see <see cref="ClientAdapters"/>): the package
/// declares it with <see cref="ClientAdapterAttribute"/>. Every member has a neutral default: an adapter overrides
/// what its family needs. Adapters are stateless and thread-safe, made once per process. The adapter packages ship
/// with the core and depend on its exact version, so this contract is internal and may change with it.
/// </remarks>
internal abstract class ClientAdapter
{
    /// <summary>
    /// Decides <paramref name="method"/> before its name is looked at (the Responses API client's methods, of which
    /// only the protocol ones are calls; the Anthropic SDK's <c>Messages.Create</c>, whose name is no chat name):
    /// true when the adapter decided, with <paramref name="plan"/> null when the method is no chat call.
    /// </summary>
    public virtual bool TryDecide(MethodInfo method, out ChatMethodPlan? plan)
    {
        plan = null;
        return false;
    }

    /// <summary>A reader for a chat method (by name or attribute) with these parameters and result, or null when none of this family's readers reads it.</summary>
    public virtual CallReader? CreateReader(ParameterInfo[] parameters, ReturnShape shape, Type itemType) => null;

    /// <summary>Whether <paramref name="method"/> hands out a client to attach (<c>OpenAIClient.GetChatClient(model)</c>, <c>IAnthropicClient.Messages</c>).</summary>
    public virtual bool HandsOutClients(MethodInfo method) => false;

    /// <summary>The constructor arguments that give a class proxy of <paramref name="classType"/> the state of <paramref name="target"/>; null for the parameterless constructor.</summary>
    public virtual object[]? ProxyConstructorArguments(Type classType, object target) => null;

    /// <summary>Whether the class proxy of <paramref name="classType"/> runs the class's own code on itself instead of forwarding to <paramref name="target"/>.</summary>
    public virtual bool RunsOnItself(Type classType, object target) => false;

    /// <summary>
    /// The client types a Microsoft.Extensions.AI bridge (<c>AsIChatClient()</c>) of this family answers
    /// <c>GetService</c> with: a bridge over an attached one records nothing twice.
    /// </summary>
    public virtual IReadOnlyList<Type> BridgedClientTypes => [];

    /// <summary>Whether <paramref name="genericDefinition"/> is a stream type of this family (System.ClientModel's <c>CollectionResult&lt;T&gt;</c>), and its shape.</summary>
    public virtual bool TryClassifyStream(Type genericDefinition, out ReturnShape shape)
    {
        shape = ReturnShape.Value;
        return false;
    }

    /// <summary>The observer of a result of a stream shape this adapter classified; null for another shape.</summary>
    public virtual ResultHandler? ResultHandlerFor(ReturnShape shape, Type itemType) => null;

    /// <summary>
    /// How to read a Microsoft.Extensions.AI client's <see cref="ChatOptions"/> as the generation parameters its
    /// provider (<paramref name="providerName"/>, of this family) receives on the wire; null for the Chat Completions names.
    /// </summary>
    public virtual Func<ChatOptions, JsonObject?>? ChatOptionsReader(IChatClient? client, string? providerName) => null;

    /// <summary>The system fingerprint in a reply's raw representation (one of this family's types), or null.</summary>
    public virtual string? SystemFingerprintOf(object raw) => null;

    /// <summary>A class of this family worth a proxy type emitted ahead of the first attach (the OpenAI SDK's <c>ChatClient</c>), or null.</summary>
    public virtual Type? WarmUpClassProxyType => null;
}
