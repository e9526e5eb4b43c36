using System.Net;
using PromptLogging.Pricing;

namespace PromptLogging.Tool.Web.Server;

/// <summary>What a <see cref="WebServer"/> serves and where: the database, the address and port, the prices.</summary>
/// <param name="Database">The database URL (never shown: pages name it by the store's display name, password masked).</param>
/// <param name="Address">The IP address to listen on.</param>
/// <param name="Port">The TCP port; 0 for any free one.</param>
/// <param name="Prices">Prices the calls.</param>
internal sealed record ServeSettings(string Database, IPAddress Address, int Port, PriceTable Prices)
{
    /// <summary>How long the live feed waits between two looks at the database.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether only loopback clients can reach the server: then only loopback host names are answered.</summary>
    public bool LoopbackOnly => IPAddress.IsLoopback(Address);
}
