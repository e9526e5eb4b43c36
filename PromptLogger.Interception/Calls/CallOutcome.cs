namespace PromptLogging.Interception.Calls;

/// <summary>The response half of a call, filled in by a reader when the result (or the end of a stream) arrives.</summary>
/// <remarks>The OpenAI readers fill one on the caller's thread: each field here is allocated with every such call.</remarks>
internal class CallOutcome
{
    public IReadOnlyList<CapturedCompletion> Completions { get; set; } = [];

    public string? Response { get; set; }

    public CapturedUsage? Usage { get; set; }

    /// <summary>The model the response named: what answered (and the record's model when the request named none).</summary>
    public string? ResponseModel { get; set; }

    public string? ResponseId { get; set; }

    public string? SystemFingerprint { get; set; }

    /// <summary>
    /// For a stream whose updates are read only on the writer (a protocol stream), seconds to the first update that
    /// carried content; used when the caller's thread could not tell.
    /// </summary>
    public double? TimeToFirstTokenSeconds { get; set; }
}

/// <summary>The outcome of a protocol stream, seen only as bytes: also whether the reply arrived whole.</summary>
internal sealed class ProtocolStreamOutcome : CallOutcome
{
    /// <summary>
    /// Whether the reply's closing event (or, for a JSON reply, the whole completion) was read: a reply disposed after
    /// it was whole ended complete, whatever the caller did with the bytes still in its parser's buffer.
    /// </summary>
    public bool ReplyWhole { get; set; }
}
