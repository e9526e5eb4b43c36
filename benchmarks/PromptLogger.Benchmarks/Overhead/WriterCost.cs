using System.Diagnostics;
using PromptLogging.Benchmarks.Support;

namespace PromptLogging.Benchmarks.Overhead;

/// <summary>
/// What the background writer spends on each OpenAI call it stores (<see cref="OpenAIRecordWriter"/>): the record made
/// from the captured call, and its share of a 1,000-record insert. Back to back, that writer runs flat out beside the
/// caller on a 2-core machine, so what it costs per record is what the caller competes with. Allocations are counted
/// on the thread (exact, whatever else the machine runs); times are the median batch of the thread's CPU time.
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
        // Warm-up: the file's first pages, and JIT tiers (tier-0 code allocates what optimized code keeps on the stack),
        // which the background compiler reaches later when the machine is loaded.
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; i < 10 || warmUp.Elapsed < TimeSpan.FromSeconds(3); i++)
        {
            writer.WriteBatch();
        }

        var convertNs = new List<double>(batches);
        var insertNs = new List<double>(batches);
        long convertBytes = 0, insertBytes = 0;
        for (var i = 0; i < batches; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = ThreadCpuTime.Now();
            writer.ConvertBatch();
            var converted = ThreadCpuTime.Now();
            var between = GC.GetAllocatedBytesForCurrentThread();
            writer.InsertBatch();
            var inserted = ThreadCpuTime.Now();
            var after = GC.GetAllocatedBytesForCurrentThread();
            convertNs.Add((converted - start) / (double)OpenAIRecordWriter.BatchSize);
            insertNs.Add((inserted - converted) / (double)OpenAIRecordWriter.BatchSize);
            convertBytes += between - before;
            insertBytes += after - between;
        }

        var records = (double)batches * OpenAIRecordWriter.BatchSize;
        const string Note = "per OpenAI call stored by the background writer (its queue aside)";
        results.Add("writer_openai_convert_bytes", convertBytes / records, "B", $"record made from the captured call (request snapshot, kept reply body); {Note}");
        results.Add("writer_openai_insert_bytes", insertBytes / records, "B", $"its share of a 1,000-record SQLite insert; {Note}");
        var clock = ThreadCpuTime.IsAvailable ? "the writer thread's CPU time (not wall time: holds on a loaded machine)" : "wall time";
        results.Add("writer_openai_convert_ns", Measure.Median(convertNs), "ns", $"median batch, {clock}; {Note}");
        results.Add("writer_openai_insert_ns", Measure.Median(insertNs), "ns", $"median batch, {clock}; {Note}");
    }
}
