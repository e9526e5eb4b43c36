using System.Collections.Concurrent;
using System.Reflection;

namespace PromptLogging.Storage;

/// <summary>
/// Finds the <see cref="StoreProvider"/> of a server database by the name of its package: PostgreSQL →
/// <c>PromptLogger.PostgreSql</c>. The package's assembly is loaded by name once (the application references it, so it
/// is beside the application) and its <see cref="StoreProviderAttribute"/> names the provider. Nothing to register:
/// <c>new PromptLogger(namespace, "postgresql://…")</c> works once the package is added.
/// </summary>
/// <remarks>
/// Thread-safe; every answer is cached for the process, a missing package included. When the package is missing,
/// <see cref="Require"/> fails naming it: a logger must not start on a store it cannot write.
/// </remarks>
internal static class StoreProviders
{
    /// <summary>The package of the PostgreSQL store.</summary>
    public const string PostgreSqlPackage = "PromptLogger.PostgreSql";

    private static readonly ConcurrentDictionary<string, Lazy<StoreProvider?>> ByPackage = new(StringComparer.Ordinal);

    /// <summary>The package that stores into databases of <paramref name="kind"/>; null for SQLite, which is the core's.</summary>
    public static string? PackageFor(DatabaseKind kind) => kind switch
    {
        DatabaseKind.PostgreSql => PostgreSqlPackage,
        _ => null,
    };

    /// <summary>The provider in <paramref name="package"/>, loaded once; null when the package is missing.</summary>
    public static StoreProvider? ForPackage(string package) =>
        ByPackage.GetOrAdd(package, static p => new Lazy<StoreProvider?>(() => Load(p), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>The provider for <paramref name="url"/>'s kind of database.</summary>
    /// <exception cref="ArgumentException">Its package is missing; the message names it and the command that adds it.</exception>
    public static StoreProvider Require(DatabaseUrl url, string paramName)
    {
        var package = PackageFor(url.Kind) ?? throw new ArgumentOutOfRangeException(nameof(url), url.Kind, "This kind of database needs no store package.");
        return ForPackage(package) ?? throw new ArgumentException(MissingPackageMessage(url, package), paramName);
    }

    /// <summary>What <see cref="Require"/> says when <paramref name="package"/> is missing.</summary>
    public static string MissingPackageMessage(DatabaseUrl url, string package) =>
        $"PromptLogger cannot log into {url.Redacted}: {KindName(url.Kind)} databases are written through the {package} package, " +
        $"which this application does not reference: add {package} (dotnet add package {package}); nothing else changes " +
        "(the same URL, no registration).";

    private static string KindName(DatabaseKind kind) => kind == DatabaseKind.PostgreSql ? "PostgreSQL" : kind.ToString();

    private static StoreProvider? Load(string package)
    {
        try
        {
            return Assembly.Load(new AssemblyName(package)).GetCustomAttribute<StoreProviderAttribute>() is { } attribute
                   && Activator.CreateInstance(attribute.ProviderType) is StoreProvider created
                ? created
                : null;
        }
#pragma warning disable CA1031 // A package that is missing, or cannot be loaded, has no provider: Require says which to add.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}
