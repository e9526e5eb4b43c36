namespace PromptLogging;

/// <summary>What a <see cref="PromptLogger.ReplayAsync"/> run did.</summary>
public sealed class ReplaySummary
{
    internal ReplaySummary(string into, int toReplay, int alreadyReplayed, int replayed, int failed, int unreadable, IReadOnlyList<string> leftOutParameters)
    {
        Into = into;
        ToReplay = toReplay;
        AlreadyReplayed = alreadyReplayed;
        Replayed = replayed;
        Failed = failed;
        Unreadable = unreadable;
        LeftOutParameters = leftOutParameters;
    }

    /// <summary>The namespace the answers were recorded under.</summary>
    public string Into { get; }

    /// <summary>The selected prompts not replayed into <see cref="Into"/> before this run (before any limit).</summary>
    public int ToReplay { get; }

    /// <summary>Selected prompts skipped because <see cref="Into"/> holds a successful replay of them already.</summary>
    public int AlreadyReplayed { get; }

    /// <summary>Prompts whose answer was recorded.</summary>
    public int Replayed { get; }

    /// <summary>Prompts whose call failed: recorded with the error (a later run tries them again).</summary>
    public int Failed { get; }

    /// <summary>Prompts not sent because their stored messages could not be read (not valid JSON messages).</summary>
    public int Unreadable { get; }

    /// <summary>
    /// The recorded generation parameters (wire names, such as <c>logprobs</c>) that the target cannot take through
    /// Microsoft.Extensions.AI's <c>ChatOptions</c>, and so were left out of every call that had them; each name once.
    /// </summary>
    public IReadOnlyList<string> LeftOutParameters { get; }
}
