using System.ClientModel;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace PromptLogging.Benchmarks.Overhead;

/// <summary>
/// Back-to-back calls through each of <see cref="OverheadClients"/>: a million calls a second, far beyond what any
/// store takes, so most calls find the logger's queue full (a drop is one failed non-blocking write after the same
/// capture work) and the writer runs flat out on the second core, competing with the caller for the machine and
/// its GC. The capture-only rows take the writer away: the same proxies report to a sink that drops every call,
/// which isolates what the caller's thread itself does.
/// </summary>
[MemoryDiagnoser]
public class CallerOverheadBenchmarks
{
    private OverheadClients _clients = null!;

    // A short queue: a full 100,000-record queue would make the GC trace every waiting call at this rate.
    [GlobalSetup]
    public void Setup() => _clients = new OverheadClients(queueCapacity: 1_000);

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// logger after the run: {_clients.Logger.Diagnostics}");
        _clients.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<ChatResponse> Direct() => _clients.Direct();

    [Benchmark]
    public Task<ChatResponse> DispatchProxy() => _clients.DispatchProxy();

    [Benchmark]
    public Task<ChatResponse> OpenTelemetryChatClient() => _clients.OpenTelemetry();

    [Benchmark]
    public Task<ChatResponse> LoggingChatClient() => _clients.Logging();

    [Benchmark]
    public ClientResult<ChatCompletion> OpenAIDirect() => _clients.OpenAIDirect();

    [Benchmark]
    public ClientResult<ChatCompletion> OpenAICastle() => _clients.OpenAICastle();

    [Benchmark]
    public Task<ChatResponse> DispatchProxyCaptureOnly() => _clients.DispatchProxyCaptureOnly();

    [Benchmark]
    public ClientResult<ChatCompletion> OpenAICastleCaptureOnly() => _clients.OpenAICastleCaptureOnly();
}

/// <summary>
/// The same calls at a rate the store sustains: each call is followed by a fixed 25 µs of spinning (the same for
/// every row, so it cancels in the differences), which caps the rate near 35,000 calls a second. The writer then
/// keeps up and the queue stays near empty, as in an application, so what a row adds over its direct row is what a
/// call costs its caller. The capture work is the same as in <see cref="CallerOverheadBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class PacedCallerOverheadBenchmarks
{
    private static readonly long Pause = System.Diagnostics.Stopwatch.Frequency * 25 / 1_000_000;

    private OverheadClients _clients = null!;

    [GlobalSetup]
    public void Setup() => _clients = new OverheadClients();

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// logger after the paced run: {_clients.Logger.Diagnostics}");
        _clients.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Direct() => Paced(_clients.Direct());

    [Benchmark]
    public void DispatchProxy() => Paced(_clients.DispatchProxy());

    [Benchmark]
    public void OpenTelemetryChatClient() => Paced(_clients.OpenTelemetry());

    [Benchmark]
    public void OpenAIDirect() => Paced(_clients.OpenAIDirect());

    [Benchmark]
    public void OpenAICastle() => Paced(_clients.OpenAICastle());

    private static void Paced<T>(T result)
    {
        GC.KeepAlive(result);
        var until = System.Diagnostics.Stopwatch.GetTimestamp() + Pause;
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
        }
    }
}
