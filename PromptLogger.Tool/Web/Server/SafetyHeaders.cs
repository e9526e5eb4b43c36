using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace PromptLogging.Tool.Web.Server;

/// <summary>
/// What every response carries and every request must pass, before anything else runs: the Content-Security-Policy
/// (scripts, styles and images from this server only, no inline script or style, no frames, forms only to itself,
/// DOM sinks only through Trusted Types), <c>nosniff</c>, no referrer; only GET and HEAD (the server writes nothing,
/// so any other method is 405); and, while it listens on loopback only, only loopback host names (and the IP literal
/// it is bound to), so that a web page
/// elsewhere cannot reach it through a DNS name rebound to 127.0.0.1.
/// </summary>
internal sealed class SafetyHeaders(RequestDelegate next, ServeSettings settings)
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

    private static readonly string[] LoopbackHosts = ["127.0.0.1", "localhost", "[::1]"];

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";

        var method = context.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            headers.Allow = "GET, HEAD";
            return Refuse(context, StatusCodes.Status405MethodNotAllowed, $"{method} is not allowed: this server only reads (GET, HEAD).");
        }

        if (settings.LoopbackOnly && !IsLoopbackHost(context.Request.Host.Host))
        {
            return Refuse(context, StatusCodes.Status421MisdirectedRequest, $"this server answers on 127.0.0.1, localhost, [::1] and {Bound()} only.");
        }

        return next(context);
    }

    // A loopback name, or the IP literal the server is bound to (--host 127.0.0.2): an IP literal is no DNS name, so
    // nothing can be rebound to it.
    private bool IsLoopbackHost(string host) =>
        LoopbackHosts.Contains(host, StringComparer.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var address) && address.Equals(settings.Address));

    private string Bound() => settings.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{settings.Address}]" : settings.Address.ToString();

    private static Task Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
