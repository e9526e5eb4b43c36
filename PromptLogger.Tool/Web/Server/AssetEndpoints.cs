using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PromptLogging.Tool.Web.Assets;

namespace PromptLogging.Tool.Web.Server;

/// <summary>
/// The embedded assets under <c>/assets/VERSION/NAME</c>, VERSION the start of the content's SHA-256: a page always
/// names the current content, so the browser may keep an asset for a year (<c>immutable</c>).
/// </summary>
internal static class AssetEndpoints
{
    private static readonly Dictionary<string, Asset> ByName = WebAssets.Names.ToDictionary(
        name => name,
        name =>
        {
            var bytes = WebAssets.Read(name)!;
            return new Asset(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes))[..12], ContentType(name));
        },
        StringComparer.Ordinal);

    /// <summary>The URL of asset <paramref name="name"/> (<c>site.css</c>) with its version.</summary>
    /// <exception cref="ArgumentException">No asset has that name.</exception>
    public static string Url(string name) =>
        ByName.TryGetValue(name, out var asset) ? $"/assets/{asset.Version}/{name}" : throw new ArgumentException($"no embedded web asset named '{name}'", nameof(name));

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRead("/assets/{version}/{name}", (string version, string name, HttpContext context) =>
        {
            if (!ByName.TryGetValue(name, out var asset))
            {
                return Results.NotFound();
            }

            // An older page may ask for an older version: it gets the current content, not kept.
            context.Response.Headers.CacheControl = version == asset.Version ? "public, max-age=31536000, immutable" : "no-cache";
            return Results.Bytes(asset.Bytes, asset.ContentType);
        });
        // Browsers ask for it whatever the page says.
        endpoints.MapRead("/favicon.ico", () => Results.Redirect(Url("icon.svg")));
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Bytes, string Version, string ContentType);
}
