using System.Collections.Concurrent;
using System.Reflection;

namespace PromptLogging.Interception.Adapters;

/// <summary>
/// Finds the <see cref="ClientAdapter"/> for the types a proxy meets, by the name of their assembly: the known families
/// map to their package (<c>OpenAI</c>, <c>Azure.AI.OpenAI</c> and <c>System.ClientModel</c> → <c>PromptLogger.OpenAI</c>;
/// <c>Anthropic</c> → <c>PromptLogger.Anthropic</c>; <c>Microsoft.SemanticKernel.*</c> → <c>PromptLogger.SemanticKernel</c>),
/// any other assembly to <c>PromptLogger.</c> + its name. The package's assembly is loaded by name once (the
/// application references it, so it is beside the application) and its <see cref="ClientAdapterAttribute"/> names the
/// adapter. Nothing to register: <c>client = logger.AttachToClient(client)</c> stays one line.
/// </summary>
/// <remarks>
/// Thread-safe; every answer is cached for the process, a missing package included. Only <see cref="Require"/>
/// throws: when a client of a known family is attached and its package is missing, attaching fails with the package to
/// add, never passing the calls through unrecorded.
/// </remarks>
internal static class ClientAdapters
{
    // The families whose package is not named after the assembly: (assembly name, or a prefix ending in '.') → package.
    private static readonly (string Assembly, string Package)[] Families =
    [
        ("OpenAI", "PromptLogger.OpenAI"),
        ("Azure.AI.OpenAI", "PromptLogger.OpenAI"),
        ("System.ClientModel", "PromptLogger.OpenAI"),
        ("Anthropic", "PromptLogger.Anthropic"),
        ("Microsoft.SemanticKernel", "PromptLogger.SemanticKernel"),
        ("Microsoft.SemanticKernel.", "PromptLogger.SemanticKernel"),
    ];

    // Microsoft.Extensions.AI's provider names (ChatClientMetadata.ProviderName) → the package that knows the wire.
    private static readonly (string Provider, string Package)[] Providers =
    [
        ("openai", "PromptLogger.OpenAI"),
        ("azure.ai.openai", "PromptLogger.OpenAI"),
    ];

    // Assemblies that never have an adapter: the runtime's, Microsoft's, PromptLogger's own, emitted ones.
    private static readonly string[] NoAdapterPrefixes = ["System.", "Microsoft.", "PromptLogger", "Castle.", "DynamicProxyGenAssembly"];
    private static readonly string[] NoAdapterNames = ["System", "mscorlib", "netstandard", "Microsoft"];

    private static readonly ConcurrentDictionary<string, Lazy<ClientAdapter?>> ByPackage = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Assembly, ClientAdapter?> ByAssembly = new();
    private static readonly Lock LoadedLock = new();
    private static ClientAdapter[] _loaded = [];

    /// <summary>The adapters loaded so far in this process.</summary>
    public static IReadOnlyList<ClientAdapter> Loaded => Volatile.Read(ref _loaded);

    /// <summary>The package of a known family for <paramref name="assemblyName"/>, or null when it is none of them.</summary>
    public static string? KnownPackageFor(string assemblyName)
    {
        foreach (var (assembly, package) in Families)
        {
            if (assembly.EndsWith('.')
                    ? assemblyName.StartsWith(assembly, StringComparison.Ordinal)
                    : string.Equals(assemblyName, assembly, StringComparison.Ordinal))
            {
                return package;
            }
        }

        return null;
    }

    /// <summary>The package that would hold the adapter for <paramref name="assemblyName"/>, or null when it cannot have one.</summary>
    public static string? PackageFor(string assemblyName)
    {
        if (KnownPackageFor(assemblyName) is { } known)
        {
            return known;
        }

        if (Array.IndexOf(NoAdapterNames, assemblyName) >= 0
            || Array.Exists(NoAdapterPrefixes, prefix => assemblyName.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return null;
        }

        return "PromptLogger." + assemblyName;
    }

    /// <summary>The adapter for the types of <paramref name="assembly"/>, or null when there is none (or its package is missing).</summary>
    public static ClientAdapter? For(Assembly assembly)
    {
        if (ByAssembly.TryGetValue(assembly, out var adapter))
        {
            return adapter;
        }

        adapter = assembly.IsDynamic || assembly.GetName().Name is not { } name || PackageFor(name) is not { } package
            ? null
            : ForPackage(package);
        return ByAssembly.GetOrAdd(assembly, adapter);
    }

    /// <summary>The adapter in <paramref name="package"/>, loaded once; null when the package is missing.</summary>
    public static ClientAdapter? ForPackage(string package) =>
        ByPackage.GetOrAdd(package, static p => new Lazy<ClientAdapter?>(() => Load(p), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>The adapter of the family of a Microsoft.Extensions.AI provider name, when it has one and it is there.</summary>
    public static ClientAdapter? ForProvider(string? providerName)
    {
        foreach (var (provider, package) in Providers)
        {
            if (string.Equals(providerName, provider, StringComparison.OrdinalIgnoreCase))
            {
                return ForPackage(package);
            }
        }

        return null;
    }

    /// <summary>
    /// The adapters that may know <paramref name="method"/>: those of the assemblies of its declaring type and that
    /// type's base classes (a subclass of an SDK's client in the application or another package), of its parameter
    /// types and of its return type, in that order, each once.
    /// </summary>
    public static List<ClientAdapter> For(MethodInfo method)
    {
        var assemblies = new List<Assembly>();
        for (var type = method.DeclaringType; type is not null && type != typeof(object); type = type.BaseType)
        {
            AddAssemblies(type, assemblies);
        }

        foreach (var parameter in method.GetParameters())
        {
            AddAssemblies(parameter.ParameterType, assemblies);
        }

        AddAssemblies(method.ReturnType, assemblies);
        return Distinct(assemblies);
    }

    /// <summary>The adapters of <paramref name="type"/>'s assembly and its base classes' (a subclass in another package), each once.</summary>
    public static List<ClientAdapter> ForClass(Type type)
    {
        var assemblies = new List<Assembly>();
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            if (!assemblies.Contains(current.Assembly))
            {
                assemblies.Add(current.Assembly);
            }
        }

        return Distinct(assemblies);
    }

    /// <summary>
    /// Fails when <paramref name="type"/> belongs to a known family whose package the application does not reference:
    /// its calls would not be read, and a proxy that records nothing is worse than an error.
    /// </summary>
    /// <exception cref="ArgumentException">The adapter package is missing; the message names it and the command that adds it.</exception>
    public static void Require(Type type, string paramName)
    {
        foreach (var classType in BaseClasses(type))
        {
            if (classType.Assembly.GetName().Name is { } name && KnownPackageFor(name) is { } package && ForPackage(package) is null)
            {
                throw new ArgumentException(MissingPackageMessage(type, name, package), paramName);
            }
        }
    }

    /// <summary>What <see cref="Require"/> says when <paramref name="package"/> is missing.</summary>
    public static string MissingPackageMessage(Type type, string assemblyName, string package) =>
        $"PromptLogger cannot attach to {type.FullName}: the clients of {assemblyName} are recorded through the " +
        $"{package} package, which this application does not reference. Add it with 'dotnet add package {package}'; " +
        "nothing else changes (client = logger.AttachToClient(client), no registration).";

    // An interface itself; a class and its base classes (a subclass of the SDK's client in the application).
    private static IEnumerable<Type> BaseClasses(Type type)
    {
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            yield return current;
        }
    }

    private static List<ClientAdapter> Distinct(List<Assembly> assemblies)
    {
        var adapters = new List<ClientAdapter>();
        foreach (var assembly in assemblies)
        {
            if (For(assembly) is { } adapter && !adapters.Contains(adapter))
            {
                adapters.Add(adapter);
            }
        }

        return adapters;
    }

    // The type's assembly, and its generic arguments' and element type's (IEnumerable<ChatMessage>, ChatMessage[]).
    private static void AddAssemblies(Type? type, List<Assembly> assemblies)
    {
        if (type is null || type.IsGenericParameter)
        {
            return;
        }

        if (type.HasElementType)
        {
            AddAssemblies(type.GetElementType(), assemblies);
            return;
        }

        if (!assemblies.Contains(type.Assembly))
        {
            assemblies.Add(type.Assembly);
        }

        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                AddAssemblies(argument, assemblies);
            }
        }
    }

    private static ClientAdapter? Load(string package)
    {
        ClientAdapter? adapter = null;
        try
        {
            adapter = Assembly.Load(new AssemblyName(package)).GetCustomAttribute<ClientAdapterAttribute>() is { } attribute
                      && Activator.CreateInstance(attribute.AdapterType) is ClientAdapter created
                ? created
                : null;
        }
#pragma warning disable CA1031 // A package that is missing, or cannot be loaded, has no adapter: Require says which to add.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        if (adapter is not null)
        {
            lock (LoadedLock)
            {
                Volatile.Write(ref _loaded, [.. _loaded, adapter]);
            }
        }

        return adapter;
    }
}
