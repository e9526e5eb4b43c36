using System.Collections;
using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Streams;

/// <summary>Stands in for a streamed <see cref="IEnumerable{T}"/> result, recording each enumeration when it ends.</summary>
internal sealed class ObservedEnumerable<T> : IEnumerable<T>
{
    private readonly IEnumerable<T> _inner;
    private readonly CapturedCall _call;

    public ObservedEnumerable(IEnumerable<T> inner, CapturedCall call)
    {
        _inner = inner;
        _call = call;
    }

    public IEnumerator<T> GetEnumerator()
    {
        var recording = _call.BeginStream<T>();
        return ObservingEnumerator<T>.Start(_inner, recording, recording, ownsEnd: true);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
