namespace PromptLogging.Stats;

/// <summary>Exact percentiles of a set of values, interpolated between the closest ranks (as PostgreSQL's <c>percentile_cont</c>).</summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="fractions"/> percentiles of <paramref name="values"/> (sorted in place); null when empty.</summary>
    public static IReadOnlyList<double>? Of(List<double> values, params double[] fractions)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        return [.. fractions.Select(fraction => At(values, fraction))];
    }

    private static double At(List<double> sorted, double fraction)
    {
        var position = fraction * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }
}
