using PromptLogging.Interception.Readers;

namespace PromptLogging.Interception.Calls;

/// <summary>
/// A finished call as the caller's thread left it: the request's snapshot, the result kept for reading, the error and
/// the timing. One object, so that recording a call allocates little; the background writer reads it through
/// <see cref="Resolve"/>.
/// </summary>
internal sealed class PendingCall
{
    private readonly ProxiedClient _client;
    private readonly CallRequest _request;
    private readonly CallReader? _reader;
    private readonly object? _retained;
    private readonly Func<CallOutcome?>? _readOutcome;
    private readonly string? _error;
    private readonly DateTimeOffset _startedAt;
    private readonly TimeSpan _duration;
    private readonly bool _stream;
    private readonly double? _timeToFirstToken;
    private readonly StreamEnd _streamEnd;

    /// <param name="client">Where failures to read are reported.</param>
    /// <param name="request">The request, or its snapshot still to be read.</param>
    /// <param name="reader">Reads <paramref name="retained"/>, the result; null when there is none to read.</param>
    /// <param name="retained">What <see cref="CallReader.Retain"/> kept of the result.</param>
    /// <param name="readOutcome">For a stream, reads what its observer saw; null otherwise.</param>
    /// <param name="error">The error the call ended with.</param>
    /// <param name="startedAt">When the call started.</param>
    /// <param name="duration">How long it ran.</param>
    /// <param name="stream">Whether the result was streamed.</param>
    /// <param name="timeToFirstToken">For a stream, seconds to its first update.</param>
    /// <param name="streamEnd">For a stream, how it ended.</param>
    public PendingCall(
        ProxiedClient client, CallRequest request, CallReader? reader, object? retained, Func<CallOutcome?>? readOutcome,
        string? error, DateTimeOffset startedAt, TimeSpan duration, bool stream, double? timeToFirstToken, StreamEnd streamEnd = StreamEnd.Completed)
    {
        _client = client;
        _request = request;
        _reader = reader;
        _retained = retained;
        _readOutcome = readOutcome;
        _error = error;
        _startedAt = startedAt;
        _duration = duration;
        _stream = stream;
        _timeToFirstToken = timeToFirstToken;
        _streamEnd = streamEnd;
    }

    /// <summary>Whether anything is left to read: a request snapshot or a result.</summary>
    public bool HasWorkLeft => _request.IsSnapshot || _reader is not null || _readOutcome is not null;

    /// <summary>The call as the caller's thread recorded it, the reading left to <see cref="Resolve"/>.</summary>
    public CapturedCall ToUnresolved() => new()
    {
        Kind = _request.Kind,
        Model = _request.Model,
        Provider = _request.Provider,
        Messages = _request.Messages,
        Tools = _request.Tools,
        GenerationKwargs = _request.GenerationKwargs,
        Prompt = _request.Prompt,
        Error = _error,
        Stream = _stream,
        TimeToFirstTokenSeconds = _timeToFirstToken,
        StreamEnd = _streamEnd,
        StartedAt = _startedAt,
        Duration = _duration,
        Pending = HasWorkLeft ? this : null,
    };

    /// <summary>
    /// Reads the snapshot and the result into a complete call, stored under <paramref name="namespace"/>. Runs on the
    /// background writer; what cannot be read is left out and reported, never thrown.
    /// </summary>
    public CapturedCall Resolve(string? @namespace)
    {
        var full = _request;
        if (_request.IsSnapshot)
        {
            try
            {
                full = _request.ReadSnapshot();
            }
#pragma warning disable CA1031 // An unreadable request is recorded with what the caller's thread already had.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _client.ReportFailure(exception);
            }
        }

        CallOutcome? outcome = null;
        try
        {
            outcome = _reader is not null ? _reader.ReadOutcome(_retained) : _readOutcome?.Invoke();
        }
#pragma warning disable CA1031 // An unreadable result is recorded without its response.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _client.ReportFailure(exception);
        }

        return new CapturedCall
        {
            Kind = full.Kind,
            Namespace = @namespace,
            Model = full.Model ?? outcome?.ResponseModel,
            Provider = full.Provider,
            Messages = full.Messages,
            Tools = full.Tools,
            GenerationKwargs = full.GenerationKwargs,
            Prompt = full.Prompt,
            Completions = outcome?.Completions ?? [],
            Response = outcome?.Response,
            Usage = outcome?.Usage,
            Error = _error,
            Stream = _stream,
            TimeToFirstTokenSeconds = _timeToFirstToken ?? outcome?.TimeToFirstTokenSeconds,
            Answered = outcome is null ? null : WhatAnswered.Of(outcome.ResponseModel, outcome.ResponseId, outcome.SystemFingerprint),
            StreamEnd = _streamEnd == StreamEnd.Abandoned && outcome is ProtocolStreamOutcome { ReplyWhole: true } ? StreamEnd.Completed : _streamEnd,
            StartedAt = _startedAt,
            Duration = _duration,
        };
    }
}
