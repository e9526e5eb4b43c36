using System.ClientModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Streams;

/// <summary>
/// Stands in for a <see cref="CollectionResult{T}"/> (the OpenAI SDK's synchronous stream). Its enumerator is the
/// base class's own (it is not virtual), which walks <see cref="GetRawPages"/> and <see cref="GetValuesFromPage"/>:
/// both forward to the original, lazily, page by page and update by update, and the call is recorded when the pages
/// end, the enumeration is disposed early, or it faults.
/// </summary>
/// <remarks><c>CollectionResult&lt;T&gt;.FromPages</c> is not used on purpose: it reads the whole stream first.</remarks>
internal sealed class ObservedCollectionResult<T> : CollectionResult<T>
{
    // The original's values come from its protected GetValuesFromPage; an open delegate reaches it without per-call reflection.
    private static readonly Func<CollectionResult<T>, ClientResult, IEnumerable<T>>? ValuesOf = CreateValuesOf();

    private readonly CollectionResult<T> _inner;
    private readonly CapturedCall _call;
    // Which enumeration each page came from: two enumerations of one result running at once each record their own.
    private readonly ConditionalWeakTable<ClientResult, StreamRecording<T>> _recordings = new();

    public ObservedCollectionResult(CollectionResult<T> inner, CapturedCall call)
    {
        _inner = inner;
        _call = call;
    }

    /// <summary>Whether the original's values can be reached; if not, the stream is handed out unobserved.</summary>
    public static bool IsSupported => ValuesOf is not null;

    public override IEnumerable<ClientResult> GetRawPages()
    {
        // Called once at the start of each enumeration (and by callers reading raw pages themselves).
        var recording = _call.BeginStream<T>();
        IEnumerable<ClientResult> pages;
        try
        {
            pages = _inner.GetRawPages();
        }
        catch (Exception exception)
        {
            recording.OnEnd(StreamEnds.Of(exception), exception);
            throw;
        }

        return new ObservedSequence<ClientResult>(Tagged(pages, recording), recording, updates: null, ownsEnd: true);
    }

    public override ContinuationToken? GetContinuationToken(ClientResult page) => _inner.GetContinuationToken(page);

    protected override IEnumerable<T> GetValuesFromPage(ClientResult page)
    {
        var values = ValuesOf!(_inner, page);
        return _recordings.TryGetValue(page, out var recording) ? new ObservedSequence<T>(values, recording, recording, ownsEnd: false) : values;
    }

    private IEnumerable<ClientResult> Tagged(IEnumerable<ClientResult> pages, StreamRecording<T> recording)
    {
        foreach (var page in pages)
        {
            _recordings.AddOrUpdate(page, recording);
            yield return page;
        }
    }

    private static Func<CollectionResult<T>, ClientResult, IEnumerable<T>>? CreateValuesOf()
    {
        var method = typeof(CollectionResult<T>).GetMethod(
            nameof(GetValuesFromPage), BindingFlags.Instance | BindingFlags.NonPublic, [typeof(ClientResult)]);
        return method is null
            ? null
            : (Func<CollectionResult<T>, ClientResult, IEnumerable<T>>?)Delegate.CreateDelegate(
                typeof(Func<CollectionResult<T>, ClientResult, IEnumerable<T>>), method, throwOnBindFailure: false);
    }
}
