using PromptLogging.Interception.Conventions;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Calls;

/// <summary>
/// What one recording client knows: the original client, how chat methods are recognised, where captured calls go and
/// under which namespace. Shared by the Castle interceptor or the <see cref="System.Reflection.DispatchProxy"/> of a
/// proxy, and used directly by middleware that records in its own overrides.
/// </summary>
internal sealed class ProxiedClient
{
    private readonly Action<Exception>? _recordingFailed;
    private readonly CallContext? _context;

    public ProxiedClient(object target, ChatMethodConvention convention, ICapturedCallSink sink, Action<Exception>? recordingFailed, string? @namespace = null, CallContext? context = null)
    {
        _context = context;
        Target = target;
        Convention = convention;
        Sink = sink;
        _recordingFailed = recordingFailed;
        Namespace = string.IsNullOrEmpty(@namespace) ? null : @namespace;
        LiveStreams = sink.LiveStreams;
    }

    /// <summary>The original client every call is forwarded to.</summary>
    public object Target { get; }

    public ChatMethodConvention Convention { get; }

    public ICapturedCallSink Sink { get; }

    /// <summary>The namespace this client's calls are stored under; null means the logger's own.</summary>
    public string? Namespace { get; }

    /// <summary>What a call made now is for: the scope in effect, inside this client's own tags and metadata (the scope wins for a key).</summary>
    public CallContext? ContextNow() => CallContext.Merge(_context, Sink.Context);

    /// <summary>Where the sink keeps the streams still running, so that one dropped unfinished is recorded all the same.</summary>
    public LiveStreams? LiveStreams { get; }

    /// <summary>
    /// Facts about the client a reader looks up once and keeps (for example Microsoft.Extensions.AI's
    /// <c>ChatClientMetadata</c>). Written at most a few times by racing first calls, each with the same value.
    /// </summary>
    public object? Description { get; set; }

    /// <summary>Starts recording a call of a chat method: times it and copies the request. Never throws.</summary>
    public CapturedCall Begin(ChatMethodPlan plan, object?[] arguments)
    {
        var timer = CallTimer.Start();
        CallRequest request;
        try
        {
            request = plan.Reader.ReadRequest(this, arguments);
        }
#pragma warning disable CA1031 // A request PromptLogger cannot read must not fail the call: record what can be read.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportFailure(exception);
            request = FallbackRequest(plan, arguments);
        }

        return CapturedCall.Begin(this, plan, request, timer);
    }

    /// <summary>
    /// Hands a finished call to the sink. Never throws. What is still to be read — the request's snapshot and the
    /// result — is left to the sink's background writer.
    /// </summary>
    public void Record(CapturedCall call)
    {
        try
        {
            Sink.Record(call);
        }
#pragma warning disable CA1031 // The sink must not throw, but if it does the caller of the model must not notice.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportFailure(exception);
        }
    }

    /// <summary>Whether recording a call may wait (see <see cref="ICapturedCallSink.RecordingMayWait"/>): then tasks are awaited through <see cref="RecordAsync"/>.</summary>
    public bool RecordingMayWait => Sink.RecordingMayWait;

    /// <summary>
    /// Hands a finished call to the sink, awaiting it when it may wait (without blocking a thread). Never throws.
    /// </summary>
    public ValueTask RecordAsync(CapturedCall call)
    {
        if (!Sink.RecordingMayWait)
        {
            Record(call);
            return ValueTask.CompletedTask;
        }

        return Awaited(call);
    }

    private async ValueTask Awaited(CapturedCall call)
    {
        try
        {
            await Sink.RecordAsync(call).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The sink must not throw, but if it does the caller of the model must not notice.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportFailure(exception);
        }
    }

    /// <summary>
    /// Attaches <paramref name="child"/>, a client handed out by this one (<c>OpenAIClient.GetChatClient</c>), to the
    /// same sink with the same conventions. Never throws: if it cannot be attached, the caller gets it unattached and
    /// the failure is reported.
    /// </summary>
    public object? AttachChild(object? child, Type type)
    {
        if (child is null || ClientProxyFactory.ClientOf(child) is { } existing && ReferenceEquals(existing.Sink, Sink))
        {
            return child;
        }

        try
        {
            return Castle.CastleProxies.CreateClassProxy(type, new ProxiedClient(child, Convention, Sink, _recordingFailed, Namespace, _context));
        }
#pragma warning disable CA1031 // A client that cannot be proxied still works; only its calls go unrecorded.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportFailure(exception);
            return child;
        }
    }

    /// <summary>Reports a failure of PromptLogger itself. Never throws.</summary>
    public void ReportFailure(Exception exception)
    {
        try
        {
            _recordingFailed?.Invoke(exception);
        }
#pragma warning disable CA1031 // A failing failure handler has nowhere left to report to.
        catch
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>What can be recorded of a request that could not be read. Never throws.</summary>
    public CallRequest FallbackRequest(ChatMethodPlan plan, object?[] arguments)
    {
        try
        {
            return plan.Reader.FallbackRequest(this, arguments);
        }
#pragma warning disable CA1031 // Same as above: the bare kind is always recordable.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportFailure(exception);
            return new CallRequest { Kind = plan.Reader.Kind };
        }
    }
}
