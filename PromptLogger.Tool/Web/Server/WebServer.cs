using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PromptLogging.Tool.Web.Api;

namespace PromptLogging.Tool.Web.Server;

/// <summary>
/// The web UI's HTTP server (Kestrel), started in this process: pages, <c>/api/…</c>, the live feed and the embedded
/// assets, every response under <see cref="SafetyHeaders"/>. Quiet: nothing is logged; signals are the caller's
/// (<see cref="ServeRunner"/> stops it on Ctrl-C).
/// </summary>
internal sealed class WebServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where it answers, as <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts serving; returns once the port is bound.</summary>
    /// <exception cref="IOException">The port is in use, or the address cannot be bound.</exception>
    public static async Task<WebServer> StartAsync(ServeSettings settings, Action<string> reportFailure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            // Not the working directory: an appsettings.json lying there must not reconfigure the server.
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
            ApplicationName = typeof(WebServer).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, CallerLifetime>();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(3));
        builder.Services.AddRazorComponents();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new FailureLog(reportFailure));
        builder.Services.AddSingleton(new StoreAccess(settings.Database));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(settings.Address, settings.Port);
        });

        var app = builder.Build();
        app.UseMiddleware<SafetyHeaders>();
        app.UseMiddleware<FailurePage>();
        AssetEndpoints.Map(app);
        PageEndpoints.Map(app);
        ApiEndpoints.Map(app);
        LiveEvents.Map(app);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? $"http://{settings.Address}:{settings.Port}";
        return new WebServer(app, new Uri(bound.TrimEnd('/') + "/"));
    }

    /// <summary>Stops accepting requests, ends the live feeds, waits a little for the requests under way.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The host's lifetime without its own Ctrl-C handling: <see cref="Interruption"/> has the signals.</summary>
    private sealed class CallerLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
