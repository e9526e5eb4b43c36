namespace PromptLogging.Writing;

/// <summary>
/// When to try an unavailable store again: doubling delays from <see cref="First"/> up to <see cref="Max"/>,
/// on a <see cref="TimeProvider"/> so that tests control time.
/// </summary>
internal sealed class Backoff
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private TimeSpan _delay = TimeSpan.Zero;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    public Backoff(TimeProvider time) => _time = time;

    /// <summary>True while the store failed recently and its next try is not due yet.</summary>
    public bool IsWaiting => _time.GetUtcNow() < _retryAt;

    /// <summary>How long until the next try is due (at least <see cref="First"/>, so that a caller waiting on it does not spin).</summary>
    public TimeSpan UntilRetry
    {
        get
        {
            var left = _retryAt - _time.GetUtcNow();
            return left > First ? left : First;
        }
    }

    /// <summary>Records a failure; the next try is due after a longer delay than the last.</summary>
    public TimeSpan Failed()
    {
        _delay = _delay == TimeSpan.Zero ? First : TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, Max.Ticks));
        _retryAt = _time.GetUtcNow() + _delay;
        return _delay;
    }

    /// <summary>Records a success: the store is available again.</summary>
    public void Succeeded()
    {
        _delay = TimeSpan.Zero;
        _retryAt = DateTimeOffset.MinValue;
    }
}
