namespace PromptLogging.Interception.Streams;

/// <summary>
/// Forwards one asynchronous enumeration item by item, showing each item to <c>updates</c> (when given) and
/// reporting the end — exhausted, disposed early, or faulted — to <c>end</c> (when it owns the end). Nothing is read
/// ahead, and a <c>MoveNextAsync</c> that completed synchronously stays synchronous — except the last one when
/// recording the end may wait (Immediate durability), which then awaits it instead of blocking the thread.
/// </summary>
internal sealed class ObservingAsyncEnumerator<T> : IAsyncEnumerator<T>
{
    private readonly IAsyncEnumerator<T> _inner;
    private readonly IStreamEnd _end;
    private readonly StreamRecording<T>? _updates;
    private readonly bool _ownsEnd;

    private ObservingAsyncEnumerator(IAsyncEnumerator<T> inner, IStreamEnd end, StreamRecording<T>? updates, bool ownsEnd)
    {
        _inner = inner;
        _end = end;
        _updates = updates;
        _ownsEnd = ownsEnd;
    }

    public T Current => _inner.Current;

    /// <summary>Starts observing one enumeration of <paramref name="source"/>.</summary>
    public static IAsyncEnumerator<T> Start(IAsyncEnumerable<T> source, IStreamEnd end, StreamRecording<T>? updates, bool ownsEnd, CancellationToken cancellationToken)
    {
        ObservingAsyncEnumerator<T> enumerator;
        try
        {
            enumerator = new ObservingAsyncEnumerator<T>(source.GetAsyncEnumerator(cancellationToken), end, updates, ownsEnd);
        }
        catch (Exception exception)
        {
            end.OnEnd(StreamEnds.Of(exception), exception);
            throw;
        }

        if (ownsEnd)
        {
            // What the caller holds: if it is dropped unfinished, the logger's sweep finds it reclaimed.
            end.Track(enumerator);
        }

        return enumerator;
    }

    public ValueTask<bool> MoveNextAsync()
    {
        ValueTask<bool> pending;
        try
        {
            pending = _inner.MoveNextAsync();
        }
        catch (Exception exception)
        {
            _end.OnEnd(StreamEnds.Of(exception), exception);
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            var moved = pending.Result;
            if (!moved && _ownsEnd && _end.RecordingMayWait)
            {
                // The end is recorded with a wait (Immediate durability): awaited, so no thread is blocked.
                return EndAsync();
            }

            Moved(moved);
            return new ValueTask<bool>(moved);
        }

        return AwaitMove(pending);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await _end.OnEndAsync(StreamEnds.Of(exception), exception).ConfigureAwait(false);
            throw;
        }

        if (_ownsEnd)
        {
            // Disposed before the end: the caller abandoned the stream; record what it saw.
            await _end.OnEndAsync(StreamEnd.Abandoned, null).ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> AwaitMove(ValueTask<bool> pending)
    {
        bool moved;
        try
        {
            moved = await pending.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await _end.OnEndAsync(StreamEnds.Of(exception), exception).ConfigureAwait(false);
            throw;
        }

        if (!moved && _ownsEnd)
        {
            await _end.OnEndAsync(StreamEnd.Completed, null).ConfigureAwait(false);
            return false;
        }

        Moved(moved);
        return moved;
    }

    private async ValueTask<bool> EndAsync()
    {
        await _end.OnEndAsync(StreamEnd.Completed, null).ConfigureAwait(false);
        return false;
    }

    private void Moved(bool moved)
    {
        if (moved)
        {
            _updates?.OnUpdate(_inner.Current);
        }
        else if (_ownsEnd)
        {
            _end.OnEnd(StreamEnd.Completed, null);
        }
    }
}

/// <summary>An <see cref="IAsyncEnumerable{T}"/> whose enumerations are observed by <see cref="ObservingAsyncEnumerator{T}"/>.</summary>
internal sealed class ObservedAsyncSequence<T> : IAsyncEnumerable<T>
{
    private readonly IAsyncEnumerable<T> _inner;
    private readonly IStreamEnd _end;
    private readonly StreamRecording<T>? _updates;
    private readonly bool _ownsEnd;

    public ObservedAsyncSequence(IAsyncEnumerable<T> inner, IStreamEnd end, StreamRecording<T>? updates, bool ownsEnd)
    {
        _inner = inner;
        _end = end;
        _updates = updates;
        _ownsEnd = ownsEnd;
    }

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        ObservingAsyncEnumerator<T>.Start(_inner, _end, _updates, _ownsEnd, cancellationToken);
}
