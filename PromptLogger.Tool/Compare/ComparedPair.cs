namespace PromptLogging.Tool.Compare;

/// <summary>A record of the first namespace and its counterpart in the second, with the word diff of their replies.</summary>
public sealed record ComparedPair(ComparedCall A, ComparedCall B, IReadOnlyList<DiffSegment> Diff)
{
    /// <summary>Whether the two replies are the same text (tool calls included).</summary>
    public bool Identical => string.Equals(A.Reply, B.Reply, StringComparison.Ordinal);

    public static ComparedPair Of(ComparedCall a, ComparedCall b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new ComparedPair(a, b, WordDiff.Compute(a.Reply, b.Reply));
    }
}
