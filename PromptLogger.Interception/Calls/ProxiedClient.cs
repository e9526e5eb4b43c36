using PromptLogging.Interception.Conventions;

namespace PromptLogging.Interception.Calls;

/// <summary>
/// What one proxy knows: the original client, how chat methods are recognised, and where captured calls go. Shared
/// by the Castle interceptor and the <see cref="System.Reflection.DispatchProxy"/> of that proxy.
/// </summary>
internal sealed class ProxiedClient
{
    private readonly Action<Exception>? _recordingFailed;

    public ProxiedClient(object target, ChatMethodConvention convention, ICapturedCallSink sink, Action<Exception>? recordingFailed)
    {
        Target = target;
        Convention = convention;
        Sink = sink;
        _recordingFailed = recordingFailed;
    }

    /// <summary>The original client every call is forwarded to.</summary>
    public object Target { get; }

    public ChatMethodConvention Convention { get; }

    public ICapturedCallSink Sink { get; }

    /// <summary>
    /// Facts about the client a reader looks up once and keeps (for example Microsoft.Extensions.AI's
    /// <c>ChatClientMetadata</c>). Written at most a few times by racing first calls, each with the same value.
    /// </summary>
    public object? Description { get; set; }

    /// <summary>Starts recording a call of a chat method: times it and copies the request. Never throws.</summary>
    public ChatCall Begin(ChatMethodPlan plan, object?[] arguments)
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
            request = SafeFallback(plan, arguments);
        }

        return new ChatCall(this, plan, request, timer);
    }

    /// <summary>
    /// Hands a finished call to the sink. Never throws. What is still to be read — the deferred half of
    /// <paramref name="request"/> and the result through <paramref name="readOutcome"/> — is left to the sink's
    /// background writer, so the caller's thread only builds one object and enqueues it.
    /// </summary>
    public void Record(CallRequest request, Func<CallOutcome?>? readOutcome, string? error, DateTimeOffset startedAt, TimeSpan duration, bool stream, double? timeToFirstToken)
    {
        try
        {
            var call = new CapturedCall
            {
                Kind = request.Kind,
                Model = request.Model,
                Provider = request.Provider,
                Messages = request.Messages,
                Tools = request.Tools,
                GenerationKwargs = request.GenerationKwargs,
                Prompt = request.Prompt,
                Error = error,
                Stream = stream,
                TimeToFirstTokenSeconds = timeToFirstToken,
                StartedAt = startedAt,
                Duration = duration,
                Resolver = request.Deferred is null && readOutcome is null ? null : () => Resolve(request, readOutcome, error, startedAt, duration, stream, timeToFirstToken),
            };
            Sink.Record(call);
        }
#pragma warning disable CA1031 // The sink must not throw, but if it does the caller of the model must not notice.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportFailure(exception);
        }
    }

    // Runs on the background writer: reads the snapshot and the result; what cannot be read is left out (and reported).
    private CapturedCall Resolve(CallRequest request, Func<CallOutcome?>? readOutcome, string? error, DateTimeOffset startedAt, TimeSpan duration, bool stream, double? timeToFirstToken)
    {
        var full = request;
        if (request.Deferred is { } deferred)
        {
            try
            {
                full = deferred();
            }
#pragma warning disable CA1031 // An unreadable request is recorded with what the caller's thread already had.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                ReportFailure(exception);
            }
        }

        CallOutcome? outcome = null;
        if (readOutcome is not null)
        {
            try
            {
                outcome = readOutcome();
            }
#pragma warning disable CA1031 // An unreadable result is recorded without its response.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                ReportFailure(exception);
            }
        }

        return new CapturedCall
        {
            Kind = full.Kind,
            Model = outcome?.Model ?? full.Model ?? outcome?.FallbackModel,
            Provider = full.Provider,
            Messages = full.Messages,
            Tools = full.Tools,
            GenerationKwargs = full.GenerationKwargs,
            Prompt = full.Prompt,
            Completions = outcome?.Completions ?? [],
            Response = outcome?.Response,
            Usage = outcome?.Usage,
            Error = error,
            Stream = stream,
            TimeToFirstTokenSeconds = timeToFirstToken,
            StartedAt = startedAt,
            Duration = duration,
        };
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

    private CallRequest SafeFallback(ChatMethodPlan plan, object?[] arguments)
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
