namespace PromptLogging.Interception.Adapters;

/// <summary>Names the <see cref="ClientAdapter"/> of an adapter package (<c>[assembly: ClientAdapter(typeof(OpenAIAdapter))]</c>).</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
internal sealed class ClientAdapterAttribute : Attribute
{
    /// <param name="adapterType">A <see cref="ClientAdapter"/> with a public parameterless constructor.</param>
    public ClientAdapterAttribute(Type adapterType) => AdapterType = adapterType;

    /// <summary>The adapter's type.</summary>
    public Type AdapterType { get; }
}
