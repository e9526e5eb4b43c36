using System.Diagnostics;
using System.Globalization;
using PromptLogging.Benchmarks.Support;
using PromptLogging.Export;
using PromptLogging.Export.Formats;
using PromptLogging.Storage;

namespace PromptLogging.Benchmarks.Exporting;

/// <summary>
/// Export prompts/s to JSONL, and the peak working set of a fresh process exporting 1,000,000 prompts
/// (measured in a child process so that building the database does not count); the same for each dataset format
/// (<c>--format openai-ft|openai-batch|csv</c>) beside the seed export, over the same database.
/// </summary>
internal static class ExportThroughput
{
    public const string ChildVerb = "export-child";

    public static void Run(Results results, bool quick)
    {
        const int count = 1_000_000;
        var path = Measure.TempDatabase("export.db");
        try
        {
            Fill(path, count);
            var runs = new List<(double Rate, double PeakMb)>();
            for (var i = 0; i < (quick ? 1 : 3); i++)
            {
                runs.Add(RunChild(path, count));
            }

            runs.Sort();
            var median = runs[runs.Count / 2];
            results.Add("export_prompts_per_s", median.Rate, "prompts/s", "1,000,000 chat prompts to JSONL; target >= 150,000");
            results.Add("export_peak_working_set_mb", runs.Max(r => r.PeakMb), "MB", "whole process, 1,000,000 prompts; target < 200");
            foreach (var (name, format) in ExportFormatNames.All.Where(f => f.Format != ExportFormat.Jsonl))
            {
                var formatRuns = new List<(double Rate, double PeakMb)>();
                for (var i = 0; i < (quick ? 1 : 3); i++)
                {
                    formatRuns.Add(RunChild(path, count, name));
                }

                formatRuns.Sort();
                var key = name.Replace('-', '_');
                results.Add($"export_{key}_prompts_per_s", formatRuns[formatRuns.Count / 2].Rate, "prompts/s", $"1,000,000 chat prompts, --format {name}");
                results.Add($"export_{key}_peak_working_set_mb", formatRuns.Max(r => r.PeakMb), "MB", $"whole process, --format {name}");
            }
        }
        finally
        {
            Measure.DeleteDatabase(path);
        }
    }

    /// <summary>The child: exports the database and prints its count, seconds and peak working set.</summary>
    public static int Child(string databasePath, string output, string formatName)
    {
        var store = new SqliteStore(DatabaseUrl.Parse("sqlite:///" + databasePath));
        if (!ExportFormatNames.TryParse(formatName, out var format))
        {
            throw new ArgumentException($"unknown format '{formatName}'", nameof(formatName));
        }

        var start = Stopwatch.GetTimestamp();
        var count = StoreExport.WriteFile(store, ExportKind.ChatPrompts, ExportFilter.Create("bench", null), new FormatOptions(format), output, null, null, CancellationToken.None).Count;
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(FormattableString.Invariant($"{count} {seconds} {self.PeakWorkingSet64}"));
        return 0;
    }

    private static void Fill(string path, int count)
    {
        var store = new SqliteStore(DatabaseUrl.Parse("sqlite:///" + path));
        using var connection = store.OpenForWriting();
        store.Migrate(connection);
        using var inserter = new PromptBatchInserter(connection);
        for (var offset = 0; offset < count; offset += 1_000)
        {
            var batch = new PromptRecord[Math.Min(1_000, count - offset)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = SampleCalls.Record(offset + i);
            }

            inserter.Insert(batch);
        }
    }

    private static (double Rate, double PeakMb) RunChild(string databasePath, int expected, string format = "seed")
    {
        var output = Path.Combine(Path.GetDirectoryName(databasePath)!, "out.jsonl");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(ExportThroughput).Assembly.Location);
        start.ArgumentList.Add(ChildVerb);
        start.ArgumentList.Add(databasePath);
        start.ArgumentList.Add(output);
        start.ArgumentList.Add(format);
        using var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadToEnd().Trim().Split('\n')[^1].Split(' ');
        process.WaitForExit();
        var count = int.Parse(line[0], CultureInfo.InvariantCulture);
        if (count != expected)
        {
            throw new InvalidOperationException($"exported {count}, expected {expected}");
        }

        return (count / double.Parse(line[1], CultureInfo.InvariantCulture), long.Parse(line[2], CultureInfo.InvariantCulture) / 1024.0 / 1024.0);
    }
}
