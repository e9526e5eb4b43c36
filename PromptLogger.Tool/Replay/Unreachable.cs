using System.Net.Http;
using System.Net.Sockets;

namespace PromptLogging.Tool.Replay;

/// <summary>
/// Whether a failed call never reached the endpoint (refused, no such host): then every further prompt would fail the
/// same way, and <c>replay</c> stops rather than record a failure for each.
/// </summary>
internal static class Unreachable
{
    /// <summary>The cause when <paramref name="exception"/> (or one it wraps: the SDK aggregates its attempts) is a failure to connect; null otherwise.</summary>
    public static Exception? Cause(Exception? exception)
    {
        switch (exception)
        {
            case null:
                return null;
            case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } request:
                return request;
            case SocketException socket:
                return socket;
            case AggregateException aggregate:
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Cause(inner) is { } cause)
                    {
                        return cause;
                    }
                }

                return null;
            default:
                return Cause(exception.InnerException);
        }
    }
}
