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
/// which isolates what the caller's thread itself does. The control row runs the direct OpenAI call beside the
/// writer's own work (<see cref="OpenAIRecordWriter"/>: OpenAI records made and inserted flat out on a thread of its
/// own, with no PromptLogger on the caller's thread), which shows how much of the attached row is the machine shared
/// with a busy writer.
/// </summary>
[MemoryDiagnoser]
public class CallerOverheadBenchmarks
{
    private OverheadClients _clients = null!;
    private BusyWriter? _busy;

    // A short queue: a full 100,000-record queue would make the GC trace every waiting call at this rate.
    [GlobalSetup]
    public void Setup() => _clients ??= new OverheadClients(queueCapacity: 1_000);

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_clients is null)
        {
            return;
        }

        Console.WriteLine($"// logger after the run: {_clients.Logger.Diagnostics}");
        _clients.Dispose();
        _clients = null!;
    }

    [GlobalSetup(Target = nameof(OpenAIDirectBesideBusyWriter))]
    public void SetupBusyWriter()
    {
        Setup();
        _busy = new BusyWriter();
    }

    [GlobalCleanup(Target = nameof(OpenAIDirectBesideBusyWriter))]
    public void CleanupBusyWriter()
    {
        if (_busy is not null)
        {
            Console.WriteLine($"// busy writer: {_busy.Stop():#,0} records stored beside the direct calls");
            _busy = null;
        }

        Cleanup();
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

    /// <summary>The control: the direct call, a writer storing OpenAI records flat out beside it.</summary>
    [Benchmark]
    public ClientResult<ChatCompletion> OpenAIDirectBesideBusyWriter() => _clients.OpenAIDirect();

    [Benchmark]
    public Task<ChatResponse> AttachedIChatClientCaptureOnly() => _clients.AttachedIChatClientCaptureOnly();

    [Benchmark]
    public Task<ChatResponse> AttachedIChatClientCaptureOnlyInAScope() => _clients.AttachedIChatClientCaptureOnlyInAScope();

    [Benchmark]
    public ClientResult<ChatCompletion> OpenAICastleCaptureOnly() => _clients.OpenAICastleCaptureOnly();

    /// <summary>The writer's work for OpenAI calls (<see cref="OpenAIRecordWriter"/>), batch after batch on a thread of its own until stopped.</summary>
    private sealed class BusyWriter
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _records;

        public BusyWriter()
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "busy writer" };
            _thread.Start();
        }

        public long Stop()
        {
            _stop = true;
            _thread.Join();
            return _records;
        }

        private void Run()
        {
            using var writer = new OpenAIRecordWriter();
            while (!_stop)
            {
                writer.WriteBatch();
                _records += OpenAIRecordWriter.BatchSize;
            }
        }
    }
}
