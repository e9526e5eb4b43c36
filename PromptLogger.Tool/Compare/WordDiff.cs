using DiffPlex;
using DiffPlex.Chunkers;

namespace PromptLogging.Tool.Compare;

/// <summary>What a piece of a word diff is: in both replies, only in the first, only in the second.</summary>
public enum DiffKind
{
    Same,
    Removed,
    Added,
}

/// <summary>A run of words of one <see cref="DiffKind"/>, with the spaces and punctuation between them.</summary>
public sealed record DiffSegment(DiffKind Kind, string Text);

/// <summary>
/// The word-level diff of two replies, by DiffPlex (Myers' algorithm over DiffPlex's word chunks: words, and the
/// spaces and punctuation between them, as pieces of their own): the segments read in order give the first reply
/// without the added ones, and the second without the removed ones.
/// </summary>
internal static class WordDiff
{
    public static IReadOnlyList<DiffSegment> Compute(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var result = Differ.Instance.CreateDiffs(first, second, ignoreWhiteSpace: false, ignoreCase: false, WordChunker.Instance);
        IReadOnlyList<string> old = result.PiecesOld;
        IReadOnlyList<string> @new = result.PiecesNew;
        var segments = new List<DiffSegment>();
        var a = 0;
        foreach (var block in result.DiffBlocks)
        {
            // Between blocks the two replies agree: what the first has there is what the second has.
            Add(segments, DiffKind.Same, old, a, block.DeleteStartA - a);
            Add(segments, DiffKind.Removed, old, block.DeleteStartA, block.DeleteCountA);
            Add(segments, DiffKind.Added, @new, block.InsertStartB, block.InsertCountB);
            a = block.DeleteStartA + block.DeleteCountA;
        }

        Add(segments, DiffKind.Same, old, a, old.Count - a);
        return segments;
    }

    private static void Add(List<DiffSegment> segments, DiffKind kind, IReadOnlyList<string> pieces, int start, int count)
    {
        if (count <= 0)
        {
            return;
        }

        var text = string.Concat(pieces.Skip(start).Take(count));
        if (segments.Count > 0 && segments[^1].Kind == kind)
        {
            segments[^1] = segments[^1] with { Text = segments[^1].Text + text };
        }
        else
        {
            segments.Add(new DiffSegment(kind, text));
        }
    }
}
