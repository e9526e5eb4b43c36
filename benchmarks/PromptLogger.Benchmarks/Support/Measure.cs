using System.Diagnostics;

namespace PromptLogging.Benchmarks.Support;

internal static class Measure
{
    /// <summary>Runs <paramref name="run"/> <paramref name="repeats"/> times; returns the median of its per-second rates.</summary>
    public static double MedianRate(int repeats, Func<(int Count, TimeSpan Elapsed)> run)
    {
        var rates = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var (count, elapsed) = run();
            rates.Add(count / elapsed.TotalSeconds);
        }

        rates.Sort();
        return rates[rates.Count / 2];
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
