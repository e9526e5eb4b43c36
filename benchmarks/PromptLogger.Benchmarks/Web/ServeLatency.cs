using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using PromptLogging.Benchmarks.Support;
using PromptLogging.Pricing;
using PromptLogging.Storage;
using PromptLogging.Tool.Web.Server;

namespace PromptLogging.Benchmarks.Web;

/// <summary>
/// <c>serve</c> over 1,000,000 chat prompts one second apart, through HTTP on loopback as a browser asks: the records
/// page (its first response after the server started, then warm), a page 10,000 records deep by its cursor, a record
/// page, and <c>/api/records</c>. PROMPTLOGGER_BENCH_WEB_DB: a database to keep between runs (filled when missing).
/// </summary>
internal static partial class ServeLatency
{
    private const double Start = 1_767_225_600; // 2026-01-01 UTC

    public static void Run(Results results, bool quick)
    {
        var count = quick ? 100_000 : 1_000_000;
        var kept = Environment.GetEnvironmentVariable("PROMPTLOGGER_BENCH_WEB_DB");
        var path = string.IsNullOrEmpty(kept) ? Measure.TempDatabase("serve.db") : kept;
        try
        {
            if (!File.Exists(path))
            {
                Fill(path, count);
            }

            RunAsync(results, "sqlite:///" + path, quick).GetAwaiter().GetResult();
        }
        finally
        {
            if (string.IsNullOrEmpty(kept))
            {
                Measure.DeleteDatabase(path);
            }
        }
    }

    private static async Task RunAsync(Results results, string url, bool quick)
    {
        var repeats = quick ? 5 : 21;
        var settings = new ServeSettings(url, IPAddress.Loopback, 0, PriceTable.BuiltIn);
        var started = Stopwatch.GetTimestamp();
        await using var server = await WebServer.StartAsync(settings, message => Console.Error.WriteLine("serve: " + message));
        results.Add("serve_start_ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds, "ms", "from the verb's start to listening (Kestrel, in-process)");
        using var http = new HttpClient { BaseAddress = server.Address };
        started = Stopwatch.GetTimestamp();
        var first = await Get(http, "/records?namespace=bench");
        results.Add("serve_records_cold_ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds, "ms", "the first /records after the start: JIT of the whole path, cold caches");

        var warm = await MedianMs(repeats, () => Get(http, "/records?namespace=bench"));
        results.Add("serve_records_ms", warm, "ms", "/records, 50 newest of 1,000,000 (warm); target <= 300");

        // Walk 200 pages (10,000 records) by their cursors, then time that page.
        var deep = "/records?namespace=bench";
        for (var i = 0; i < 200; i++)
        {
            deep = Older().Match(await Get(http, deep)).Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        }

        results.Add("serve_records_deep_ms", await MedianMs(repeats, () => Get(http, deep)), "ms", "the page 10,000 records deep, by its keyset cursor");

        var record = RecordLink().Match(first).Groups[1].Value;
        results.Add("serve_record_ms", await MedianMs(repeats, () => Get(http, record)), "ms", "one record's page");
        results.Add("serve_api_records_ms", await MedianMs(repeats, () => Get(http, "/api/records?namespace=bench")), "ms", "/api/records, 50 newest as JSON");
    }

    private static async Task<string> Get(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {text}");
    }

    private static async Task<double> MedianMs(int repeats, Func<Task> run)
    {
        await run();
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return Measure.Median(times);
    }

    private static void Fill(string path, int count)
    {
        var store = new SqliteStore(DatabaseUrl.Parse("sqlite:///" + path));
        using var connection = store.OpenForWriting();
        store.Migrate(connection);
        using var inserter = new PromptBatchInserter(connection);
        var start = Stopwatch.GetTimestamp();
        for (var offset = 0; offset < count; offset += 1_000)
        {
            var batch = new PromptRecord[Math.Min(1_000, count - offset)];
            for (var i = 0; i < batch.Length; i++)
            {
                var n = offset + i;
                var at = Start + n;
                batch[i] = SampleCalls.Record(n) with { Id = TimeOrderedId.New(DateTimeOffset.FromUnixTimeSeconds((long)at)).ToString(), InferenceOn = at };
            }

            inserter.Insert(batch);
        }

        Console.WriteLine($"  (filled {count:N0} prompts in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s)");
    }

    [GeneratedRegex("id=\"older\" href=\"([^\"]+)\"")]
    private static partial Regex Older();

    [GeneratedRegex("<a href=\"(/records/[^\"]+)\"")]
    private static partial Regex RecordLink();
}
