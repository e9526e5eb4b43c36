namespace PromptLogging.Storage;

/// <summary>Names the <see cref="StoreProvider"/> of a store package (<c>[assembly: StoreProvider(typeof(NpgsqlStoreProvider))]</c>).</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
internal sealed class StoreProviderAttribute : Attribute
{
    /// <param name="providerType">A <see cref="StoreProvider"/> with a public parameterless constructor.</param>
    public StoreProviderAttribute(Type providerType) => ProviderType = providerType;

    /// <summary>The provider's type.</summary>
    public Type ProviderType { get; }
}
