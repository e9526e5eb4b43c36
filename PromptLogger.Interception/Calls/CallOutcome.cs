namespace PromptLogging.Interception.Calls;

/// <summary>The response half of a call, filled in by a reader when the result (or the end of a stream) arrives.</summary>
internal sealed class CallOutcome
{
    /// <summary>A model name that wins over the request's (the response's, where the family says it is the better source).</summary>
    public string? Model { get; set; }

    /// <summary>A model name used only when the request named none.</summary>
    public string? FallbackModel { get; set; }

    public IReadOnlyList<CapturedCompletion> Completions { get; set; } = [];

    public string? Response { get; set; }

    public CapturedUsage? Usage { get; set; }

    /// <summary>
    /// For a stream whose updates are read only on the writer (a protocol stream), seconds to the first update that
    /// carried content; used when the caller's thread could not tell.
    /// </summary>
    public double? TimeToFirstTokenSeconds { get; set; }
}
