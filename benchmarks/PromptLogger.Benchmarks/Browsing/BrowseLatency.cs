using System.Globalization;
using PromptLogging.Benchmarks.Support;
using PromptLogging.Storage;

namespace PromptLogging.Benchmarks.Browsing;

/// <summary>
/// The browsing verbs in-process (the query and its formatting, not the process start) over 1,000,000 chat prompts
/// one second apart: <c>list</c> with the default filters, <c>show</c> of an id prefix, and an export whose
/// <c>--since</c> covers 1 % of the rows against the full export.
/// </summary>
internal static class BrowseLatency
{
    private const double Start = 1_767_225_600; // 2026-01-01 UTC

    public static void Run(Results results, bool quick)
    {
        var count = quick ? 100_000 : 1_000_000;
        var path = Measure.TempDatabase("browse.db");
        try
        {
            var ids = Fill(path, count);
            var url = "sqlite:///" + path;
            var output = Path.Combine(Path.GetDirectoryName(path)!, "out.jsonl");
            var repeats = quick ? 5 : 21;

            var list = MedianMs(repeats, () => Tool(["list", "-n", "bench", "-d", url]));
            results.Add("list_ms", list, "ms", $"{count:N0} chat prompts, default filters (newest 20); target <= 20");

            var random = new Random(7);
            var show = MedianMs(repeats, () => Tool(["show", ids[random.Next(ids.Length)][..13], "-d", url]));
            results.Add("show_ms", show, "ms", "an id prefix of 13 characters; target <= 10");

            var since = DateTimeOffset.FromUnixTimeSeconds((long)(Start + count * 0.99)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var narrow = MedianMs(repeats, () => Tool(["export", "prompts", output, "-n", "bench", "--since", since, "-d", url]));
            var full = MedianMs(quick ? 1 : 3, () => Tool(["export", "prompts", output, "-n", "bench", "-d", url]));
            results.Add("export_since_1pct_ms", narrow, "ms", "--since covering 1 % of the rows");
            results.Add("export_full_ms", full, "ms", "every row");
            results.Add("export_since_speedup", full / narrow, "x", "full / --since 1 %; target >= 20");

            // What estimated_cost_usd costs an export: the same rows with and without pricing, alternated.
            var store = new SqliteStore(DatabaseUrl.Parse(url));
            var filter = PromptLogging.Export.ExportFilter.Create("bench", null);
            var priced = new List<double>();
            var unpriced = new List<double>();
            for (var i = 0; i < (quick ? 3 : 5); i++)
            {
                unpriced.Add(Measure.Time(() => ExportTo(store, filter, null)).TotalMilliseconds);
                priced.Add(Measure.Time(() => ExportTo(store, filter, PromptLogging.Pricing.PriceTable.BuiltIn)).TotalMilliseconds);
            }

            results.Add("export_cost_overhead_pct", (Measure.Median(priced) / Measure.Median(unpriced) - 1) * 100, "%", "estimated_cost_usd on every line vs none");
        }
        finally
        {
            Measure.DeleteDatabase(path);
        }
    }

    private static double MedianMs(int repeats, Action run)
    {
        run(); // warm: JIT, page cache
        return Measure.Median(Enumerable.Range(0, repeats).Select(_ => Measure.Time(run).TotalMilliseconds));
    }

    private static void ExportTo(PromptStore store, PromptLogging.Export.ExportFilter filter, PromptLogging.Pricing.PriceTable? prices)
    {
        using var connection = store.OpenForReading();
        PromptLogging.Export.JsonlExporter.ExportChatPrompts(connection, store, filter, Stream.Null, prices);
    }

    private static void Tool(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var data = new MemoryStream();
        var exit = PromptLogging.Tool.Program.Run(args, stdout, stderr, data);
        if (exit != 0)
        {
            throw new InvalidOperationException($"prompt-logger {string.Join(' ', args)} exited {exit}: {stderr}");
        }
    }

    private static string[] Fill(string path, int count)
    {
        var store = new SqliteStore(DatabaseUrl.Parse("sqlite:///" + path));
        using var connection = store.OpenForWriting();
        store.Migrate(connection);
        using var inserter = new PromptBatchInserter(connection);
        var ids = new string[count];
        for (var offset = 0; offset < count; offset += 1_000)
        {
            var batch = new PromptRecord[Math.Min(1_000, count - offset)];
            for (var i = 0; i < batch.Length; i++)
            {
                var n = offset + i;
                var at = Start + n;
                ids[n] = TimeOrderedId.New(DateTimeOffset.FromUnixTimeSeconds((long)at)).ToString();
                batch[i] = SampleCalls.Record(n) with { Id = ids[n], InferenceOn = at };
            }

            inserter.Insert(batch);
        }

        return ids;
    }
}
