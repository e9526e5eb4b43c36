using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PromptLogging.Interception;

namespace PromptLogging.Tests;

/// <summary>
/// What a user of the packages sees: the types they write themselves, documented in words they know. Plumbing
/// between the two assemblies (captured calls, sinks, the proxy factory) stays internal.
/// </summary>
public sealed partial class PublicSurfaceTests
{
    [Test]
    public void Interception_ExportsOnlyTheAttributeUsersWrite()
    {
        var exported = typeof(PromptLogAttribute).Assembly.GetExportedTypes().Select(static t => t.FullName);

        Assert.That(exported, Is.EquivalentTo(new[] { typeof(PromptLogAttribute).FullName }));
    }

    [Test]
    public void Core_ExposesNoInterceptionPlumbing()
    {
        var interception = typeof(PromptLogAttribute).Assembly;
        var leaks = typeof(PromptLogger).Assembly.GetExportedTypes()
            .SelectMany(static t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => TypesIn(m).SelectMany(Unwrap).Any(t => t.Assembly == interception))
            .Select(static m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();

        Assert.That(leaks, Is.Empty);
    }

    [Test]
    public void AdapterPackages_ExportOnlyWhatUsersWrite()
    {
        Assert.Multiple(() =>
        {
            // Found by the core by name; nothing to call. Semantic Kernel's has its kernel builder one-liner.
            Assert.That(Assembly.Load("PromptLogger.OpenAI").GetExportedTypes(), Is.Empty);
            Assert.That(Assembly.Load("PromptLogger.Anthropic").GetExportedTypes(), Is.Empty);
            Assert.That(
                Assembly.Load("PromptLogger.SemanticKernel").GetExportedTypes().Select(static t => t.FullName),
                Is.EquivalentTo(new[] { "Microsoft.SemanticKernel.PromptLoggerKernelBuilderExtensions" }));
        });
    }

    [TestCase("PromptLogger")]
    [TestCase("PromptLogger.Interception")]
    public void Core_ReferencesNoClientSdk(string assemblyName)
    {
        // Users pay only for what they use: the client SDKs are the adapter packages' dependencies, not the core's.
        var sdks = Assembly.Load(assemblyName).GetReferencedAssemblies()
            .Select(static a => a.Name!)
            .Where(static name => name is "OpenAI" or "System.ClientModel" or "Anthropic"
                                  || name.StartsWith("Azure.", StringComparison.Ordinal)
                                  || name.StartsWith("Microsoft.SemanticKernel", StringComparison.Ordinal)
                                  || name.StartsWith("PromptLogger.", StringComparison.Ordinal) && name != "PromptLogger.Interception")
            .ToList();

        Assert.That(sdks, Is.Empty);
    }

    [TestCase("PromptLogger")]
    [TestCase("PromptLogger.Interception")]
    [TestCase("PromptLogger.SemanticKernel")]
    public void PublicDocs_NameThePythonPackage_NotTheSeed(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        var publicTypes = assembly.GetExportedTypes().Select(static t => t.FullName!).ToHashSet(StringComparer.Ordinal);
        var docs = XDocument.Load(Path.Combine(AppContext.BaseDirectory, assemblyName + ".xml"));

        var saySeed = docs.Descendants("member")
            .Where(m => publicTypes.Contains(TypeOf((string)m.Attribute("name")!)))
            .Where(static m => SeedWord().IsMatch(m.ToString(SaveOptions.DisableFormatting).Replace("<c>seed</c>", "", StringComparison.Ordinal)))
            .Select(static m => (string)m.Attribute("name")!)
            .ToList();

        Assert.That(saySeed, Is.Empty);
    }

    private static IEnumerable<Type> TypesIn(MemberInfo member) => member switch
    {
        MethodInfo method => method.GetParameters().Select(static p => p.ParameterType).Append(method.ReturnType),
        ConstructorInfo constructor => constructor.GetParameters().Select(static p => p.ParameterType),
        PropertyInfo property => [property.PropertyType],
        FieldInfo field => [field.FieldType],
        EventInfo @event => [@event.EventHandlerType!],
        _ => [],
    };

    private static IEnumerable<Type> Unwrap(Type type) =>
        type.HasElementType ? Unwrap(type.GetElementType()!)
        : type.IsGenericType ? type.GetGenericArguments().SelectMany(Unwrap).Append(type)
        : [type];

    // "M:PromptLogging.PromptLogger.SaveInteraction(System.String,...)" → "PromptLogging.PromptLogger"; "T:X.Y" → "X.Y".
    private static string TypeOf(string memberName)
    {
        var name = memberName[2..];
        if (memberName[0] == 'T')
        {
            return name;
        }

        var parameters = name.IndexOf('(', StringComparison.Ordinal);
        var withoutParameters = parameters < 0 ? name : name[..parameters];
        return withoutParameters[..withoutParameters.LastIndexOf('.')];
    }

    [GeneratedRegex(@"\bseed\b", RegexOptions.IgnoreCase)]
    private static partial Regex SeedWord();
}
