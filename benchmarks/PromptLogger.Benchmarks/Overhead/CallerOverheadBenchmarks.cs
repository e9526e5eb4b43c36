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
    public Task<ChatResponse> AttachedIChatClient() => _clients.AttachedIChatClient();

    [Benchmark]
    public Task<ChatResponse> OpenTelemetryChatClient() => _clients.OpenTelemetry();

    [Benchmark]
    public ClientResult<ChatCompletion> OpenAIDirect() => _clients.OpenAIDirect();

    [Benchmark]
    public ClientResult<ChatCompletion> OpenAICastle() => _clients.OpenAICastle();

    [Benchmark]
    public Task<ChatResponse> AttachedIChatClientCaptureOnly() => _clients.AttachedIChatClientCaptureOnly();

    [Benchmark]
    public Task<ChatResponse> AttachedIChatClientCaptureOnlyInAScope() => _clients.AttachedIChatClientCaptureOnlyInAScope();

    [Benchmark]
    public ClientResult<ChatCompletion> OpenAICastleCaptureOnly() => _clients.OpenAICastleCaptureOnly();
}
