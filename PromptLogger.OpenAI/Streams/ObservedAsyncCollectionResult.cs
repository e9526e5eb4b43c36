using System.ClientModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Streams;

/// <summary>
/// Stands in for an <see cref="AsyncCollectionResult{T}"/> (the OpenAI SDK's asynchronous stream). Its enumerator is
/// the base class's own (it is not virtual), which walks <see cref="GetRawPagesAsync"/> and
/// <see cref="GetValuesFromPageAsync"/>: both forward to the original, lazily, page by page and update by update, and
/// the call is recorded when the pages end, the enumeration is disposed early, or it faults.
/// </summary>
/// <remarks><c>AsyncCollectionResult&lt;T&gt;.FromPages</c> is not used on purpose: it reads the whole stream first.</remarks>
internal sealed class ObservedAsyncCollectionResult<T> : AsyncCollectionResult<T>
{
    // The original's values come from its protected GetValuesFromPageAsync; an open delegate reaches it without per-call reflection.
    private static readonly Func<AsyncCollectionResult<T>, ClientResult, IAsyncEnumerable<T>>? ValuesOf = CreateValuesOf();

    private readonly AsyncCollectionResult<T> _inner;
    private readonly CapturedCall _call;
    // Which enumeration each page came from: two enumerations of one result running at once each record their own.
    private readonly ConditionalWeakTable<ClientResult, StreamRecording<T>> _recordings = new();

    public ObservedAsyncCollectionResult(AsyncCollectionResult<T> inner, CapturedCall call)
    {
        _inner = inner;
        _call = call;
    }

    /// <summary>Whether the original's values can be reached; if not, the stream is handed out unobserved.</summary>
    public static bool IsSupported => ValuesOf is not null;

    public override IAsyncEnumerable<ClientResult> GetRawPagesAsync()
    {
        // Called once at the start of each enumeration (and by callers reading raw pages themselves).
        var recording = _call.BeginStream<T>();
        IAsyncEnumerable<ClientResult> pages;
        try
        {
            pages = _inner.GetRawPagesAsync();
        }
        catch (Exception exception)
        {
            recording.OnEnd(StreamEnds.Of(exception), exception);
            throw;
        }

        return new ObservedAsyncSequence<ClientResult>(Tagged(pages, recording), recording, updates: null, ownsEnd: true);
    }

    public override ContinuationToken? GetContinuationToken(ClientResult page) => _inner.GetContinuationToken(page);

    protected override IAsyncEnumerable<T> GetValuesFromPageAsync(ClientResult page)
    {
        var values = ValuesOf!(_inner, page);
        return _recordings.TryGetValue(page, out var recording) ? new ObservedAsyncSequence<T>(values, recording, recording, ownsEnd: false) : values;
    }

    private async IAsyncEnumerable<ClientResult> Tagged(IAsyncEnumerable<ClientResult> pages, StreamRecording<T> recording, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            _recordings.AddOrUpdate(page, recording);
            yield return page;
        }
    }

    private static Func<AsyncCollectionResult<T>, ClientResult, IAsyncEnumerable<T>>? CreateValuesOf()
    {
        var method = typeof(AsyncCollectionResult<T>).GetMethod(
            nameof(GetValuesFromPageAsync), BindingFlags.Instance | BindingFlags.NonPublic, [typeof(ClientResult)]);
        return method is null
            ? null
            : (Func<AsyncCollectionResult<T>, ClientResult, IAsyncEnumerable<T>>?)Delegate.CreateDelegate(
                typeof(Func<AsyncCollectionResult<T>, ClientResult, IAsyncEnumerable<T>>), method, throwOnBindFailure: false);
    }
}
