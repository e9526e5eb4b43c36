namespace PromptLogging.Writing;

/// <summary>
/// How callers wake the writer loop and how the loop lingers for more calls, on a <see cref="TimeProvider"/> so that
/// tests drive its clock.
/// </summary>
/// <remarks>
/// <para>
/// Waking the loop costs the waking thread a few microseconds, so a call only wakes it when it announced itself
/// idle (<see cref="GoIdle"/>); the others find it awake. Once woken, the loop lingers up to <see cref="Linger"/> for
/// more calls before it writes, unless something <em>hurries</em> it (a full batch waiting, a flush, an immediate
/// call, disposal): the callers pay for at most one wake-up per <see cref="Linger"/>.
/// </para>
/// <para>
/// No lost wake-up: the loop announces idleness, fences, then looks for work; a caller adds its work, fences, then
/// reads the idle flag. One of the two sees the other.
/// </para>
/// </remarks>
internal sealed class WriterWake
{
    /// <summary>The default linger: calls gather for up to 10 ms before the loop writes them.</summary>
    public static readonly TimeSpan DefaultLinger = TimeSpan.FromMilliseconds(10);

    private readonly WakeSignal _work = new();
    private readonly WakeSignal _hurry = new();
    private readonly TimeProvider _time;
    private int _idle;

    public WriterWake(TimeProvider time, TimeSpan linger)
    {
        _time = time;
        Linger = linger;
    }

    /// <summary>How long the loop, once woken, waits for more calls before writing (unless hurried).</summary>
    public TimeSpan Linger { get; }

    /// <summary>Whether the loop announced itself idle and nobody woke it since.</summary>
    public bool IsIdle => Volatile.Read(ref _idle) != 0;

    /// <summary>Whether a caller woke the idle loop.</summary>
    public bool IsWoken => _work.IsSet;

    /// <summary>
    /// Caller side, after adding work: wakes the loop if it is idle (one caller pays for that), hurries it if asked.
    /// </summary>
    public void Wake(bool hurry)
    {
        if (hurry)
        {
            _hurry.Set();
        }

        // A full fence between what the caller just did and the read of _idle (GoIdle fences the other way).
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _idle) != 0 && Interlocked.Exchange(ref _idle, 0) != 0)
        {
            _work.Set();
        }
    }

    /// <summary>
    /// Loop side: announces idleness, then asks <paramref name="hasWork"/>. Returns false (and is not idle) when work
    /// turned up meanwhile; true when the loop may now wait in <see cref="WaitAsync()"/>.
    /// </summary>
    public bool GoIdle(Func<bool> hasWork)
    {
        _work.Reset();
        _hurry.Reset();
        Interlocked.Exchange(ref _idle, 1); // a full fence before looking for work
        if (hasWork())
        {
            Interlocked.Exchange(ref _idle, 0);
            return false;
        }

        return true;
    }

    /// <summary>Loop side, after <see cref="GoIdle"/>: completes when a caller wakes the loop.</summary>
    public Task WaitAsync() => _work.Task;

    /// <summary>Loop side: completes when a caller wakes the loop or after <paramref name="timeout"/> on the clock.</summary>
    /// <returns>Whether a caller woke it.</returns>
    public async Task<bool> WaitAsync(TimeSpan timeout)
    {
        if (_work.IsSet)
        {
            return true;
        }

        using var cancel = new CancellationTokenSource();
        var delay = Task.Delay(timeout, _time, cancel.Token);
        await Task.WhenAny(_work.Task, delay).ConfigureAwait(false);
        await cancel.CancelAsync().ConfigureAwait(false);
        return _work.IsSet;
    }

    /// <summary>Loop side, once woken: gives a batch <see cref="Linger"/> to gather, unless something hurries the loop.</summary>
    public async Task LingerAsync()
    {
        if (_hurry.IsSet)
        {
            return;
        }

        using var cancel = new CancellationTokenSource();
        var delay = Task.Delay(Linger, _time, cancel.Token);
        await Task.WhenAny(_hurry.Task, delay).ConfigureAwait(false);
        await cancel.CancelAsync().ConfigureAwait(false);
    }
}
