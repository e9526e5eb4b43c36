using System.Net;
using PromptLogging.Pricing;
using PromptLogging.Tests.Support;
using PromptLogging.Tool.Web.Server;

namespace PromptLogging.Tests.Web;

/// <summary>
/// <c>serve</c>'s server started in the test's process on a free port over a test store; <see cref="Failures"/> holds
/// what the server would have written to standard error (a test asserts it empty).
/// </summary>
internal sealed class ServedStore : IAsyncDisposable
{
    private readonly List<string> _failures;

    private ServedStore(TestStore store, WebServer server, List<string> failures)
    {
        Store = store;
        Server = server;
        _failures = failures;
        Http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public TestStore Store { get; }

    public WebServer Server { get; }

    public HttpClient Http { get; }

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    /// <param name="store">The store to serve.</param>
    /// <param name="url">Another URL of the same store (with a password, say); its own by default.</param>
    /// <param name="address">The address to listen on (as --host); 127.0.0.1 by default.</param>
    public static async Task<ServedStore> StartAsync(TestStore store, string? url = null, IPAddress? address = null)
    {
        List<string> failures = [];
        var settings = new ServeSettings(url ?? store.Url, address ?? IPAddress.Loopback, 0, PriceTable.BuiltIn) { PollInterval = TimeSpan.FromMilliseconds(100) };
        var server = await WebServer.StartAsync(settings, message =>
        {
            lock (failures)
            {
                failures.Add(message);
            }
        });
        return new ServedStore(store, server, failures);
    }

    /// <summary>The absolute URL of <paramref name="path"/> (with its query).</summary>
    public string Url(string path) => new Uri(Server.Address, path).ToString();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
