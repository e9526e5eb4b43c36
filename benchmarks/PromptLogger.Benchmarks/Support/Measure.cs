using System.Diagnostics;

namespace PromptLogging.Benchmarks.Support;

internal static class Measure
{
    /// <summary>Runs <paramref name="run"/> <paramref name="repeats"/> times; returns the median of its per-second rates.</summary>
    public static double MedianRate(int repeats, Func<(int Count, TimeSpan Elapsed)> run) =>
        Median(Enumerable.Range(0, repeats).Select(_ => Rate(run())));

    /// <summary>Items per second.</summary>
    public static double Rate((int Count, TimeSpan Elapsed) run) => run.Count / run.Elapsed.TotalSeconds;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    public static TimeSpan Time(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start);
    }

    public static string TempDatabase(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "promptlogger-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    public static void DeleteDatabase(string path)
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
