using System.Diagnostics;
using PromptLogging.Benchmarks.Support;

namespace PromptLogging.Benchmarks.Overhead;

/// <summary>
/// Caller overhead while the logger keeps up, so that every call is captured and stored (the run fails if one is
/// dropped): calls come in bursts of <see cref="BurstSize"/> back to back, each burst timed as a whole, and the
/// writer stores each burst after it (untimed), as it does in an application below its capacity: woken by a
/// burst's first call, it lingers for more before writing.
/// </summary>
/// <remarks>
/// The figure is the median burst of each client, per call, minus the median of the same call made directly. The
/// clients take turns burst by burst, so a drift of the machine touches them all alike.
/// </remarks>
internal static class SustainedOverhead
{
    private const int BurstSize = 256;

    public static void Run(Results results, bool quick)
    {
        var rounds = quick ? 300 : 1_000;
        using var clients = new OverheadClients();
        var variants = new (string Name, Action Call, bool Logged)[]
        {
            ("direct", () => clients.Direct().GetAwaiter().GetResult(), false),
            ("ichatclient", () => clients.AttachedIChatClient().GetAwaiter().GetResult(), true),
            ("opentelemetry", () => clients.OpenTelemetry().GetAwaiter().GetResult(), false),
            ("logging", () => clients.Logging().GetAwaiter().GetResult(), false),
            ("openai_direct", () => clients.OpenAIDirect(), false),
            ("castle_openai", () => clients.OpenAICastle(), true),
        };

        var perCall = variants.Select(_ => new List<double>(rounds)).ToArray();
        for (var round = -20; round < rounds; round++)
        {
            for (var v = 0; v < variants.Length; v++)
            {
                var call = variants[v].Call;
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < BurstSize; i++)
                {
                    call();
                }

                var elapsed = Stopwatch.GetElapsedTime(start);
                if (round >= 0)
                {
                    // The first rounds warm up (JIT tiers, the writer's file) and are not kept.
                    perCall[v].Add(elapsed.TotalNanoseconds / BurstSize);
                }

                if (variants[v].Logged)
                {
                    clients.Logger.Flush();
                }
            }
        }

        var diagnostics = clients.Logger.Diagnostics;
        var expected = (rounds + 20) * BurstSize * variants.Count(v => v.Logged);
        if (diagnostics.Dropped != 0 || diagnostics.Written != expected)
        {
            throw new InvalidOperationException($"The logger did not store every call: {diagnostics}");
        }

        var median = perCall.Select(Measure.Median).ToArray();
        var chat = median[1] - median[0];
        var castle = median[5] - median[4];
        var otel = median[2] - median[0];
        const string Note = "median burst per call minus direct's; every call stored";
        results.Add("overhead_ichatclient_ns", chat, "ns", $"IChatClient attached (PromptLoggingChatClient); {Note}; target <= 1000");
        results.Add("overhead_castle_openai_ns", castle, "ns", $"OpenAI ChatClient attached (Castle); {Note}; target <= 1000");
        results.Add("overhead_opentelemetry_ns", otel, "ns", $"OpenTelemetryChatClient, sensitive data, sampled listener; {Note}");
        results.Add("overhead_logging_trace_ns", median[3] - median[0], "ns", $"LoggingChatClient at Trace; {Note}");
        results.Add("overhead_ichatclient_vs_opentelemetry_ratio", chat / otel, "x", "target <= 0.4");
        results.Add("overhead_castle_openai_vs_opentelemetry_ratio", castle / otel, "x", "target <= 0.4");
        results.Add("openai_direct_call_ns", median[4], "ns", "the OpenAI ChatClient call itself, in-process transport, for scale");
    }
}
