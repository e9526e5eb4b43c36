using System.Runtime.InteropServices;

namespace PromptLogging.Tool;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as a cancellation: the first one cancels <see cref="Token"/> so that the work stops
/// at the next record and cleans up (an export removes its temporary file) before the tool exits 130 or 143; a
/// second one ends the process at once (the next export then removes the temporary file left behind). Work blocked
/// where it cannot see the token (opening a FIFO nobody reads) is ended after <see cref="GracePeriod"/>: a supervisor
/// that sends one SIGTERM (<c>timeout</c>, <c>systemctl stop</c>) must not need SIGKILL.
/// </summary>
internal sealed class Interruption : IDisposable
{
    /// <summary>How long work has, after the first signal, to stop by itself before the process is ended.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _source = new();
    private Timer? _deadline;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _received;
    private volatile bool _observed;

    /// <summary>Cancelled by the first signal, once <see cref="Observe"/> was called.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The signal that cancelled <see cref="Token"/>; null while none has.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>The exit status for the signal received: 130 for SIGINT, 143 for SIGTERM.</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? Tool.ExitCode.Terminated : Tool.ExitCode.Interrupted;

    /// <summary>How messages name the signal.</summary>
    public string SignalName => Signal == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT (Ctrl-C)";

    /// <summary>Listens for SIGINT and SIGTERM until disposed.</summary>
    public static Interruption ListenForSignals()
    {
        var interruption = new Interruption();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                interruption._registrations.Add(PosixSignalRegistration.Create(signal, interruption.OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // Not every platform has every signal; Ctrl-C is covered wherever there is one.
            }
        }

        return interruption;
    }

    /// <summary>
    /// Says that the work will stop on <see cref="Token"/>: from now on a first signal cancels it instead of ending the
    /// process (work that never looks at the token is ended by the signal, as without this class).
    /// </summary>
    public CancellationToken Observe()
    {
        _observed = true;
        return _source.Token;
    }

    /// <summary>Acts as if <paramref name="signal"/> had arrived; true when it was the first.</summary>
    public bool Raise(PosixSignal signal)
    {
        if (Interlocked.Exchange(ref _received, 1) != 0)
        {
            return false;
        }

        Signal = signal;
        _source.Cancel();
        return true;
    }

    public void Dispose()
    {
        _deadline?.Dispose();
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    // Cancel = true keeps the process alive to clean up; a second signal, or one that nothing observes, takes the
    // default action and ends it.
    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = _observed && Raise(context.Signal);
        if (context.Cancel)
        {
            _deadline = new Timer(static state => ((Interruption)state!).EndNow(), this, GracePeriod, Timeout.InfiniteTimeSpan);
        }
    }

    private void EndNow()
    {
        Console.Error.WriteLine(string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{ToolConsole.CommandName}: error: interrupted by {SignalName}, and the work did not stop within {GracePeriod.TotalSeconds:0} s (waiting on the output or the database); ending now. A temporary file left behind is removed by the next export."));
        Environment.Exit(ExitCode);
    }
}
