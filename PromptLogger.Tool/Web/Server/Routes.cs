using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PromptLogging.Tool.Web.Server;

/// <summary>Endpoints answer GET and HEAD alike (HEAD: the same headers, no body).</summary>
internal static class Routes
{
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static RouteHandlerBuilder MapRead(this IEndpointRouteBuilder endpoints, string pattern, Delegate handler) =>
        endpoints.MapMethods(pattern, GetAndHead, handler);
}
