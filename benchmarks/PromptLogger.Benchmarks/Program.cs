using PromptLogging.Benchmarks.Exporting;
using PromptLogging.Benchmarks.Support;
using PromptLogging.Benchmarks.Throughput;

namespace PromptLogging.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/PromptLogger.Benchmarks -- [--quick] [overhead|store|export|all]</c>
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == ExportThroughput.ChildVerb)
        {
            return ExportThroughput.Child(args[1], args[2]);
        }

        var quick = args.Contains("--quick");
        var what = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        var results = new Results();
        Console.WriteLine($"PromptLogger benchmarks ({(quick ? "quick" : "full")}): {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");

        if (what is "store" or "all")
        {
            StoreThroughput.Run(results, quick);
        }

        if (what is "export" or "all")
        {
            ExportThroughput.Run(results, quick);
        }

        results.Print();
        return 0;
    }
}
