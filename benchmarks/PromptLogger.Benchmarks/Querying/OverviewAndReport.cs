using PromptLogging.Benchmarks.Support;
using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Tool.Browsing;
using PromptLogging.Tool.Web.Overview;
using PromptLogging.Tool.Web.Report;

namespace PromptLogging.Benchmarks.Querying;

/// <summary>
/// The web UI's overview (<see cref="OverviewQuery"/>: stats by day and by model, exact percentiles, costs) and the
/// whole <c>report</c> document (the overview, the 50 newest records, rendered) over the query benchmark's store.
/// </summary>
internal static class OverviewAndReport
{
    public static void Run(Results results, string path, int count, bool quick)
    {
        var database = "sqlite:///" + path;
        var filter = ExportFilter.Create("bench", null);
        var runs = quick ? 1 : 3;
        var overview = Enumerable.Range(0, runs).Select(_ => Measure.Time(() =>
        {
            using var session = ReadSession.Open(database);
            OverviewQuery.Load(session, filter, PriceTable.BuiltIn, CancellationToken.None);
        }).TotalSeconds).ToList();
        results.Add("overview_load_s", Measure.Median(overview), "s", $"{count:N0} prompts, 5 models: calls by day, tokens, cost, latency and TTFT percentiles by model");

        var bytes = 0;
        var report = Enumerable.Range(0, runs).Select(_ => Measure.Time(() =>
        {
            using var session = ReadSession.Open(database);
            var (html, _) = ReportBuilder.Build(session, filter, PriceTable.BuiltIn, 50, DateTimeOffset.UtcNow, CancellationToken.None);
            bytes = html.Length;
        }).TotalSeconds).ToList();
        results.Add("report_build_s", Measure.Median(report), "s", $"{count:N0} prompts: the overview and the 50 newest records rendered to one HTML file ({bytes / 1024:N0} KB)");
    }
}
