using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PromptLogging.Pricing;
using PromptLogging.Tool.Browsing;
using PromptLogging.Tool.Verbs;

namespace PromptLogging.Tool.Web.Server;

/// <summary>
/// Runs a checked <c>serve</c>: the database must exist and be a PromptLogger one (exit 1 before anything listens,
/// as <c>list</c> says it); then the server runs until Ctrl-C or SIGTERM, saying where on standard error, once.
/// </summary>
internal sealed class ServeRunner(ToolConsole console, Interruption? interruption)
{
    public int Run(ServeOptions options, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prices = PriceTable.WithUserFile(options.Prices);
        string shown;
        using (var session = ReadSession.Open(options.Database))
        {
            shown = session.Store.DisplayName;
        }

        if (!IPAddress.IsLoopback(address))
        {
            console.WriteWarning($"listening on {address}, not only on this machine: anyone who can reach port {options.Port} can read every prompt in {shown} (there is no login). Leave out --host to serve on 127.0.0.1 only.");
        }

        var cancellationToken = interruption?.Observe() ?? CancellationToken.None;
        WebServer server;
        try
        {
            server = WebServer.StartAsync(new ServeSettings(options.Database, address, options.Port, prices), console.WriteError, cancellationToken).GetAwaiter().GetResult();
        }
        catch (IOException exception)
        {
            var inUse = exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException ||
                        exception.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse };
            console.WriteError(inUse
                ? $"port {options.Port} on {address} is in use (another serve?); give another with --port, or --port 0 for any free one."
                : $"cannot listen on {address} port {options.Port}: {exception.Message}");
            return ExitCode.Failure;
        }

        try
        {
            console.Error.WriteLine($"serving {shown} at {server.Address} (read-only; Ctrl-C stops)");
            console.Error.Flush();
            if (options.Open)
            {
                OpenBrowser(server.Address);
            }

            cancellationToken.WaitHandle.WaitOne();
            return interruption?.ExitCode ?? ExitCode.Success;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Best effort: a machine with no browser, or no <c>xdg-open</c>, gets a warning, and the server runs on.</summary>
    private void OpenBrowser(Uri address)
    {
        var opener = OperatingSystem.IsMacOS() ? "open" : "xdg-open";
        try
        {
            using var process = OperatingSystem.IsWindows()
                ? Process.Start(new ProcessStartInfo(address.ToString()) { UseShellExecute = true })
                : Process.Start(new ProcessStartInfo(opener, [address.ToString()]) { UseShellExecute = false });
        }
        catch (Exception exception) when (exception is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            console.WriteWarning($"could not open a browser ({opener}: {exception.Message}); open {address} yourself.");
        }
    }
}
