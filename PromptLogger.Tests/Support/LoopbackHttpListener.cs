using System.Net;
using System.Net.Sockets;

namespace PromptLogging.Testing;

/// <summary>
/// An HTTP listener on 127.0.0.1 and a free port that hands each request to an answer function on its own task — the
/// plumbing of the tests' provider-compatible servers. A request whose client went away (a cancellation, a timeout) or
/// that arrives while the server stops is aborted quietly.
/// </summary>
public sealed class LoopbackHttpListener : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _answer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private LoopbackHttpListener(HttpListener listener, int port, Func<HttpListenerContext, Task> answer)
    {
        _listener = listener;
        _answer = answer;
        Port = port;
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>Cancelled when the listener stops: answers that wait use it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Starts listening on 127.0.0.1 and a free port; each request is given to <paramref name="answer"/>.</summary>
    public static LoopbackHttpListener Start(Func<HttpListenerContext, Task> answer)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LoopbackHttpListener(listener, port, answer);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends by failing on the closed listener.
        }

        _stopping.Dispose();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            await _answer(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away (cancellation, timeout) or the server is stopping.
            try
            {
                context.Response.Abort();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
