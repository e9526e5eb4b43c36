namespace PromptLogging.Interception.Calls;

/// <summary>The response half of a call, filled in by a reader when the result (or the end of a stream) arrives.</summary>
internal sealed class CallOutcome
{
    /// <summary>A model name used only when the request named none.</summary>
    public string? FallbackModel { get; set; }

    public IReadOnlyList<CapturedCompletion> Completions { get; set; } = [];

    public string? Response { get; set; }

    public CapturedUsage? Usage { get; set; }

    /// <summary>The model the response named: what answered.</summary>
    public string? ResponseModel { get; set; }

    public string? ResponseId { get; set; }

    public string? SystemFingerprint { get; set; }

    /// <summary>
    /// For a protocol stream (seen only as bytes), whether the reply's closing event was read: a reply disposed after
    /// it was whole ended complete, whatever the caller did with the bytes still in its parser's buffer.
    /// </summary>
    public bool StreamCompleted { get; set; }

    /// <summary>
    /// For a stream whose updates are read only on the writer (a protocol stream), seconds to the first update that
    /// carried content; used when the caller's thread could not tell.
    /// </summary>
    public double? TimeToFirstTokenSeconds { get; set; }
}
