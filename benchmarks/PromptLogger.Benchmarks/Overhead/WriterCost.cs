using System.Diagnostics;
using PromptLogging.Benchmarks.Support;

namespace PromptLogging.Benchmarks.Overhead;

/// <summary>
/// What the background writer spends on each OpenAI call it stores (<see cref="OpenAIRecordWriter"/>): the record made
/// from the captured call, and its share of a 1,000-record insert. Back to back, that writer runs flat out beside the
/// caller on a 2-core machine, so what it costs per record is what the caller competes with. Allocations are counted
/// on the thread (exact, whatever else the machine runs); times are the median batch.
/// </summary>
internal static class WriterCost
{
    /// <summary>
    /// <c>writer-batches N</c>: writes N batches and nothing else, for an instruction count
    /// (<c>valgrind --tool=callgrind</c>, run for two N: the difference over the difference of N, per 1,000 records).
    /// </summary>
    public const string BatchesVerb = "writer-batches";

    public static int Batches(string count)
    {
        using var writer = new OpenAIRecordWriter();
        for (var i = 0; i < int.Parse(count, System.Globalization.CultureInfo.InvariantCulture); i++)
        {
            writer.WriteBatch();
        }

        return 0;
    }

    public static void Run(Results results, bool quick)
    {
        var batches = quick ? 30 : 100;
        using var writer = new OpenAIRecordWriter();
        for (var i = 0; i < 10; i++)
        {
            writer.WriteBatch(); // warm-up: JIT tiers, the file's first pages
        }

        var convertNs = new List<double>(batches);
        var insertNs = new List<double>(batches);
        long convertBytes = 0, insertBytes = 0;
        for (var i = 0; i < batches; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            writer.ConvertBatch();
            var converted = Stopwatch.GetTimestamp();
            var between = GC.GetAllocatedBytesForCurrentThread();
            writer.InsertBatch();
            var inserted = Stopwatch.GetTimestamp();
            var after = GC.GetAllocatedBytesForCurrentThread();
            convertNs.Add(Stopwatch.GetElapsedTime(start, converted).TotalNanoseconds / OpenAIRecordWriter.BatchSize);
            insertNs.Add(Stopwatch.GetElapsedTime(converted, inserted).TotalNanoseconds / OpenAIRecordWriter.BatchSize);
            convertBytes += between - before;
            insertBytes += after - between;
        }

        var records = (double)batches * OpenAIRecordWriter.BatchSize;
        const string Note = "per OpenAI call stored by the background writer (its queue aside)";
        results.Add("writer_openai_convert_bytes", convertBytes / records, "B", $"record made from the captured call (request snapshot, kept reply body); {Note}");
        results.Add("writer_openai_insert_bytes", insertBytes / records, "B", $"its share of a 1,000-record SQLite insert; {Note}");
        results.Add("writer_openai_convert_ns", Measure.Median(convertNs), "ns", $"median batch; {Note}");
        results.Add("writer_openai_insert_ns", Measure.Median(insertNs), "ns", $"median batch; {Note}");
    }
}
