using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using PromptLogging.Benchmarks.Overhead;
using PromptLogging.Benchmarks.Support;
using PromptLogging.Storage;

namespace PromptLogging.Benchmarks.Throughput;

/// <summary>
/// Sustained prompts/s into a SQLite file through the logger, beside the raw batched insert of the same rows
/// (the limit) and one commit per record (the seed's strategy: rollback journal, a transaction per record).
/// </summary>
internal static class StoreThroughput
{
    public static void Run(Results results, bool quick)
    {
        var count = quick ? 100_000 : 500_000;
        var pairs = quick ? 7 : 11;
        var seedCount = quick ? 2_000 : 5_000;

        // The logger and the raw insert take turns, and the ratio is the median of each pair's: this shared machine
        // has fast and slow minutes (the raw insert alone ranges from 130,000 to 190,000 rows/s), and a ratio of
        // figures measured minutes apart would compare the minutes.
        // One untimed pair first: the writer's path and the raw insert reach their final JIT tier.
        ThroughLogger(count);
        RawBatched(count);
        var loggerRates = new List<double>();
        var rawRates = new List<double>();
        for (var i = 0; i < pairs; i++)
        {
            loggerRates.Add(Measure.Rate(ThroughLogger(count)));
            rawRates.Add(Measure.Rate(RawBatched(count)));
        }

        var logger = Measure.Median(loggerRates);
        var raw = Measure.Median(rawRates);
        var ratios = loggerRates.Zip(rawRates, (l, r) => l / r).ToList();
        Console.WriteLine("// logger ÷ raw, pair by pair: " + string.Join(" ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture))));
        var ratio = Measure.Median(ratios);
        var perRecord = Measure.MedianRate(3, () => OneCommitPerRecord(seedCount));

        results.Add("store_logger_prompts_per_s", logger, "prompts/s", $"{count:N0} IChatClient calls through AttachToClient, captured and stored, at most {SustainedQueueDepth:N0} waiting");
        results.Add("store_raw_batched_prompts_per_s", raw, "prompts/s", "same rows, batches of 1,000, prepared insert");
        results.Add("store_one_commit_per_record_prompts_per_s", perRecord, "prompts/s", "rollback journal, one transaction a record");
        results.Add("store_logger_vs_raw_ratio", ratio, "x", $"median of {pairs} back-to-back pairs; target >= 0.8");
        results.Add("store_logger_vs_one_commit_ratio", logger / perRecord, "x", "target >= 30");
    }

    private static (int, TimeSpan) ThroughLogger(int count)
    {
        var path = Measure.TempDatabase("logger.db");
        try
        {
            using var logger = new PromptLogger(new PromptLoggerOptions { Namespace = "bench", Database = "sqlite:///" + path, QueueCapacity = count });
            var client = logger.AttachToClient<IChatClient>(new CannedChatClient());
            var elapsed = Measure.Time(() =>
            {
                // Captured by the proxy (snapshot on this thread, read and stored by the writer), as in an application
                // that calls as fast as the logger keeps up: sustained, not a burst of 100,000 calls queued at once
                // (which would measure how the GC copes with 100,000 waiting calls, not the write path).
                for (var i = 0; i < count; i++)
                {
                    if (i % 100 == 0)
                    {
                        WaitWhileMoreThan(logger, SustainedQueueDepth);
                    }

                    // Each question differs, as in the raw insert's rows: every record has a thread key of its own.
                    client.GetResponseAsync(SampleCalls.MessagesOf(i), SampleCalls.Options).GetAwaiter().GetResult();
                }

                logger.Flush();
            });
            if (logger.Diagnostics.Written != count)
            {
                throw new InvalidOperationException($"expected {count} written, got {logger.Diagnostics}");
            }

            return (count, elapsed);
        }
        finally
        {
            Measure.DeleteDatabase(path);
        }
    }

    // Two batches: the writer always finds a full batch waiting, and never more than it can store soon.
    private const int SustainedQueueDepth = 2_000;

    private static void WaitWhileMoreThan(PromptLogger logger, int depth)
    {
        var spin = new SpinWait();
        while (logger.Diagnostics.QueueDepth > depth)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    private static (int, TimeSpan) RawBatched(int count)
    {
        var path = Measure.TempDatabase("raw.db");
        try
        {
            var records = Enumerable.Range(0, count).Select(SampleCalls.Record).ToArray();
            var store = new SqliteStore(DatabaseUrl.Parse("sqlite:///" + path));
            using var connection = store.OpenForWriting();
            store.Migrate(connection);
            using var inserter = new PromptBatchInserter(connection);
            var elapsed = Measure.Time(() =>
            {
                foreach (var batch in records.Chunk(1_000))
                {
                    inserter.Insert(batch);
                }
            });
            return (count, elapsed);
        }
        finally
        {
            Measure.DeleteDatabase(path);
        }
    }

    private static (int, TimeSpan) OneCommitPerRecord(int count)
    {
        var path = Measure.TempDatabase("seed.db");
        try
        {
            var records = Enumerable.Range(0, count).Select(SampleCalls.Record).ToArray();
            var store = new SqliteStore(DatabaseUrl.Parse("sqlite:///" + path));
            using var connection = store.OpenForWriting();
            store.Migrate(connection);
            // What the seed's SQLAlchemy session does by default: rollback journal, full sync, commit per record.
            connection.Execute("PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;");
            using var inserter = new PromptBatchInserter(connection);
            var elapsed = Measure.Time(() =>
            {
                foreach (var record in records)
                {
                    inserter.Insert([record]);
                }
            });
            return (count, elapsed);
        }
        finally
        {
            Measure.DeleteDatabase(path);
        }
    }
}
