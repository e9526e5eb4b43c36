using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Streams;

/// <summary>Stands in for a streamed <see cref="IAsyncEnumerable{T}"/> result, recording each enumeration when it ends.</summary>
internal sealed class ObservedAsyncEnumerable<T> : IAsyncEnumerable<T>
{
    private readonly IAsyncEnumerable<T> _inner;
    private readonly CapturedCall _call;

    public ObservedAsyncEnumerable(IAsyncEnumerable<T> inner, CapturedCall call)
    {
        _inner = inner;
        _call = call;
    }

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var recording = _call.BeginStream<T>();
        return ObservingAsyncEnumerator<T>.Start(_inner, recording, recording, ownsEnd: true, cancellationToken);
    }
}
