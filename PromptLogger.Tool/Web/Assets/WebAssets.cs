using System.Reflection;

namespace PromptLogging.Tool.Web.Assets;

/// <summary>
/// The styles, scripts and images of the web UI and the report, embedded in the tool (<c>Web/Assets/*</c>): served
/// by <c>serve</c> under <c>/assets/NAME</c> and inlined by <c>report</c>.
/// </summary>
internal static class WebAssets
{
    private const string Prefix = "assets/";

    private static readonly Assembly Tool = typeof(WebAssets).Assembly;

    /// <summary>The names of every embedded asset (<c>site.css</c>, …), in ordinal order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. Tool.GetManifestResourceNames().Where(static n => n.StartsWith(Prefix, StringComparison.Ordinal)).Select(static n => n[Prefix.Length..]).Order(StringComparer.Ordinal)];

    /// <summary>An asset's bytes, or null when there is no asset of that name.</summary>
    public static byte[]? Read(string name)
    {
        using var stream = Tool.GetManifestResourceStream(Prefix + name);
        if (stream is null)
        {
            return null;
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>An asset's text (UTF-8).</summary>
    /// <exception cref="ArgumentException">There is no asset of that name.</exception>
    public static string ReadText(string name) =>
        Read(name) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : throw new ArgumentException($"no embedded web asset named '{name}'", nameof(name));
}
