using System.Net.Sockets;

namespace PromptLogging.Export;

/// <summary>
/// An output that is a Unix domain socket file (a listening log collector, say): connected to and streamed to,
/// since <c>open()</c> cannot open a socket and renaming a file over it would take the listener's address away.
/// </summary>
internal sealed class SocketOutput : ExportOutput
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    public SocketOutput(string path)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            _socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException exception)
        {
            _socket.Dispose();
            throw new IOException($"cannot connect to the socket {path}: {exception.Message}", exception);
        }

        _stream = new NetworkStream(_socket, ownsSocket: true);
    }

    public override Stream Stream => _stream;

    public override void Commit()
    {
        _stream.Flush();
        _socket.Shutdown(SocketShutdown.Send);
    }

    public override void Dispose() => _stream.Dispose();
}
