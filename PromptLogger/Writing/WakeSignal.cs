namespace PromptLogging.Writing;

/// <summary>
/// A signal the writer loop awaits and any thread sets: set once, it stays set (further sets cost nothing) until the
/// loop <see cref="Reset"/>s it before looking for work again.
/// </summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _source = NewSource();

    /// <summary>Completes when the signal is set.</summary>
    public Task Task => Volatile.Read(ref _source).Task;

    public bool IsSet => Task.IsCompleted;

    /// <summary>Sets the signal; its awaiter continues on the thread pool, never on the setter's thread.</summary>
    public void Set() => Volatile.Read(ref _source).TrySetResult();

    /// <summary>Clears a set signal. Only the loop that awaits it calls this, before it checks for work.</summary>
    public void Reset()
    {
        if (_source.Task.IsCompleted)
        {
            Volatile.Write(ref _source, NewSource());
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
