using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Writing;

/// <summary>Several processes logging into one database at once, on either store.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class ConcurrentProcessTests(StoreKind kind)
{
    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(kind);

    [TearDown]
    public void TearDown()
    {
        // Also after a skipped SetUp, which leaves no store.
        _store?.Dispose();
        _store = null!;
    }

    [Test]
    public void TwoProcessesLoggingIntoOneDatabaseAtOnce_LoseNothing()
    {
        const int perProcess = 5_000;
        var host = ChildProcess.SiblingDll("PromptLogger.TestHost", "PromptLogger.TestHost");
        var processes = Enumerable.Range(0, 2)
            .Select(_ => ChildProcess.Start(host, _store.Url, "ns", perProcess.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dispose"))
            .ToList();
        var results = processes.Select(p =>
        {
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            Assert.That(p.WaitForExit(TimeSpan.FromSeconds(120)), Is.True);
            return (p.ExitCode, Stdout: stdout.Result, Stderr: stderr.Result);
        }).ToList();

        foreach (var (exitCode, stdout, stderr) in results)
        {
            Assert.That(exitCode, Is.Zero, stderr);
            Assert.That(stderr, Is.Empty);
            Assert.That(stdout, Does.Contain($"recorded {perProcess}"));
        }

        var prompts = _store.Prompts();
        Assert.That(prompts, Has.Count.EqualTo(2 * perProcess));
        Assert.That(prompts.Distinct().Count(), Is.EqualTo(2 * perProcess), "no record is stored twice");
        foreach (var process in processes)
        {
            var own = prompts.Where(p => p.EndsWith($" from {process.Id}", StringComparison.Ordinal)).ToList();
            Assert.That(own, Is.EqualTo(Enumerable.Range(0, perProcess).Select(i => $"prompt {i} from {process.Id}")),
                "each process's records are stored in the order it recorded them");
            process.Dispose();
        }
    }
}
