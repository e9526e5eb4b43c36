using PromptLogging.Benchmarks.Exporting;
using PromptLogging.Benchmarks.Support;
using PromptLogging.Benchmarks.Throughput;

namespace PromptLogging.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/PromptLogger.Benchmarks -- [--quick] [overhead|sustained|writer|store|query|browse|export|web|all]</c>:
/// prints each figure as it is measured, then a table and one <c>RESULT name=value</c> line per figure.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length is 3 or 4 && args[0] == ExportThroughput.ChildVerb)
        {
            return ExportThroughput.Child(args[1], args[2], args.Length == 4 ? args[3] : "seed");
        }

        if (args.Length == 2 && args[0] == Overhead.WriterCost.BatchesVerb)
        {
            return Overhead.WriterCost.Batches(args[1]);
        }

        if (args.Length == 1 && args[0] == Overhead.FirstAttach.ChildVerb)
        {
            return Overhead.FirstAttach.Child();
        }

        var quick = args.Contains("--quick");
        var what = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        var results = new Results();
        Console.WriteLine($"PromptLogger benchmarks ({(quick ? "quick" : "full")}): {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");

        // Back to back first: BenchmarkDotNet's runs also bring every path to its final JIT tier before the rest.
        if (what is "overhead" or "all")
        {
            Overhead.CallerOverhead.Run(results, quick);
        }

        if (what is "overhead" or "sustained" or "all")
        {
            Overhead.SustainedOverhead.Run(results, quick);
            Overhead.FirstAttach.Run(results, quick);
        }

        if (what is "overhead" or "writer" or "all")
        {
            Overhead.WriterCost.Run(results, quick);
        }

        if (what is "store" or "all")
        {
            StoreThroughput.Run(results, quick);
        }

        if (what is "query" or "all")
        {
            Querying.SearchAndStats.Run(results, quick);
        }

        if (what is "export" or "all")
        {
            ExportThroughput.Run(results, quick);
        }

        if (what is "browse" or "all")
        {
            Browsing.BrowseLatency.Run(results, quick);
        }

        if (what is "web" or "all")
        {
            Web.ServeLatency.Run(results, quick);
        }

        results.Print();
        return 0;
    }
}
