using System.Collections;

namespace PromptLogging.Interception.Streams;

/// <summary>
/// Forwards one synchronous enumeration item by item, showing each item to <c>updates</c> (when given) and reporting
/// the end — exhausted, disposed early, or faulted — to <c>end</c> (when it owns the end). Nothing is read ahead:
/// the caller gets each item as soon as the original produced it.
/// </summary>
/// <remarks>
/// The pages of a <c>CollectionResult</c> own the end (the stream is over when the last page is); the values of one
/// page only report updates and faults.
/// </remarks>
internal sealed class ObservingEnumerator<T> : IEnumerator<T>
{
    private readonly IEnumerator<T> _inner;
    private readonly IStreamEnd _end;
    private readonly StreamRecording<T>? _updates;
    private readonly bool _ownsEnd;

    private ObservingEnumerator(IEnumerator<T> inner, IStreamEnd end, StreamRecording<T>? updates, bool ownsEnd)
    {
        _inner = inner;
        _end = end;
        _updates = updates;
        _ownsEnd = ownsEnd;
    }

    public T Current => _inner.Current;

    object? IEnumerator.Current => Current;

    /// <summary>Starts observing one enumeration of <paramref name="source"/>.</summary>
    public static IEnumerator<T> Start(IEnumerable<T> source, IStreamEnd end, StreamRecording<T>? updates, bool ownsEnd)
    {
        ObservingEnumerator<T> enumerator;
        try
        {
            enumerator = new ObservingEnumerator<T>(source.GetEnumerator(), end, updates, ownsEnd);
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

    public bool MoveNext()
    {
        bool moved;
        try
        {
            moved = _inner.MoveNext();
        }
        catch (Exception exception)
        {
            _end.OnEnd(StreamEnds.Of(exception), exception);
            throw;
        }

        if (moved)
        {
            _updates?.OnUpdate(_inner.Current);
        }
        else if (_ownsEnd)
        {
            _end.OnEnd(StreamEnd.Completed, null);
        }

        return moved;
    }

    public void Reset() => _inner.Reset();

    public void Dispose()
    {
        try
        {
            _inner.Dispose();
        }
        catch (Exception exception)
        {
            _end.OnEnd(StreamEnds.Of(exception), exception);
            throw;
        }

        if (_ownsEnd)
        {
            // Disposed before the end: the caller abandoned the stream; record what it saw.
            _end.OnEnd(StreamEnd.Abandoned, null);
        }
    }
}

/// <summary>An <see cref="IEnumerable{T}"/> whose enumerations are observed by <see cref="ObservingEnumerator{T}"/>.</summary>
internal sealed class ObservedSequence<T> : IEnumerable<T>
{
    private readonly IEnumerable<T> _inner;
    private readonly IStreamEnd _end;
    private readonly StreamRecording<T>? _updates;
    private readonly bool _ownsEnd;

    public ObservedSequence(IEnumerable<T> inner, IStreamEnd end, StreamRecording<T>? updates, bool ownsEnd)
    {
        _inner = inner;
        _end = end;
        _updates = updates;
        _ownsEnd = ownsEnd;
    }

    public IEnumerator<T> GetEnumerator() => ObservingEnumerator<T>.Start(_inner, _end, _updates, _ownsEnd);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
