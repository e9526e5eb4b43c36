using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using PromptLogging.Benchmarks.Support;

namespace PromptLogging.Benchmarks.Overhead;

/// <summary>Runs <see cref="CallerOverheadBenchmarks"/> and turns the medians into overheads over the direct calls.</summary>
internal static class CallerOverhead
{
    public static void Run(Results results, bool quick)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 3 : 6)
            .WithIterationCount(quick ? 10 : 25);
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddExporter(MarkdownExporter.Console)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "promptlogger-bench", "artifacts"))
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<CallerOverheadBenchmarks>(config);

        var direct = Median(summary, nameof(CallerOverheadBenchmarks.Direct));
        var openAIDirect = Median(summary, nameof(CallerOverheadBenchmarks.OpenAIDirect));
        var chat = Median(summary, nameof(CallerOverheadBenchmarks.AttachedIChatClient)) - direct;
        var castle = Median(summary, nameof(CallerOverheadBenchmarks.OpenAICastle)) - openAIDirect;
        var chatCapture = Median(summary, nameof(CallerOverheadBenchmarks.AttachedIChatClientCaptureOnly)) - direct;
        var castleCapture = Median(summary, nameof(CallerOverheadBenchmarks.OpenAICastleCaptureOnly)) - openAIDirect;
        var otel = Median(summary, nameof(CallerOverheadBenchmarks.OpenTelemetryChatClient)) - direct;
        var besideWriter = Median(summary, nameof(CallerOverheadBenchmarks.OpenAIDirectBesideBusyWriter)) - openAIDirect;
        var inScope = Median(summary, nameof(CallerOverheadBenchmarks.AttachedIChatClientCaptureOnlyInAScope)) - direct;

        results.Add("backtoback_overhead_ichatclient_ns", chat, "ns", "IChatClient attached to a SQLite logger; BenchmarkDotNet back to back, queue full, most calls dropped; median minus direct");
        results.Add("backtoback_overhead_castle_openai_ns", castle, "ns", "OpenAI ChatClient attached to a SQLite logger; BenchmarkDotNet back to back, queue full, most calls dropped; median minus direct");
        results.Add("backtoback_contention_openai_busy_writer_ns", besideWriter, "ns", "control: the direct OpenAI call beside the writer's work for OpenAI records, flat out on its own thread (no PromptLogger on the caller's thread); median minus direct");
        results.Add("backtoback_overhead_castle_openai_beyond_busy_writer_ns", castle - besideWriter, "ns", "the attached OpenAI row minus the control: what is left once a busy writer's share of the machine is set aside");
        results.Add("backtoback_capture_only_ichatclient_ns", chatCapture, "ns", "the caller's thread alone (sink drops calls)");
        results.Add("backtoback_capture_only_castle_openai_ns", castleCapture, "ns", "the caller's thread alone (sink drops calls)");
        results.Add("backtoback_capture_only_ichatclient_in_a_scope_ns", inScope, "ns", "the same, each call in a scope it begins and ends (conversation, user, two tags); minus the row above = what a scope costs");
        results.Add("backtoback_overhead_opentelemetry_ns", otel, "ns", "OpenTelemetryChatClient, sensitive data, sampled listener");
        results.Add("backtoback_overhead_ichatclient_vs_opentelemetry_ratio", chat / otel, "x", "back to back");
        results.Add("backtoback_overhead_castle_openai_vs_opentelemetry_ratio", castle / otel, "x", "back to back");
    }

    private static double Median(Summary summary, string method)
    {
        var report = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
        return report.ResultStatistics?.Median ?? throw new InvalidOperationException($"{method} produced no result");
    }
}
