using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Writing;

public sealed class ProcessFaultTests
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private TempFolder _temp = null!;
    private string _host = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _host = ChildProcess.SiblingDll("PromptLogger.TestHost", "PromptLogger.TestHost");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void FourProcessesLoggingIntoOneFileAndExitingWithoutDispose_LoseNothing()
    {
        var processes = Enumerable.Range(0, 4).Select(_ => ChildProcess.Start(_host, _temp.DatabaseUrl(), "ns", "5000")).ToList();
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
            Assert.That(stderr, Is.Empty, "no lock error surfaces");
            Assert.That(stdout, Does.Contain("recorded 5000"));
        }

        using var connection = Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM prompts"), Is.EqualTo(20_000));
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(DISTINCT prompt) FROM prompts"), Is.EqualTo(20_000));
        Assert.That(Directory.GetFiles(_temp.Path, "*.spool-*"), Is.Empty);
    }

    [Test]
    public void KillMinusNineInBufferedMode_KeepsWhatWasAcknowledgedAFlushIntervalBeforeAndLeavesTheFileIntact()
    {
        var (acknowledged, stored) = KillWhileLogging("--forever");

        Assert.That(acknowledged.Before(FlushInterval), Is.GreaterThan(acknowledged.Last / 2), "the check below is not vacuous");
        Assert.That(stored, Is.GreaterThanOrEqualTo(acknowledged.Before(FlushInterval)),
            $"acknowledged {acknowledged.Before(FlushInterval)} records more than {FlushInterval.TotalMilliseconds} ms before the kill");
        TestContext.Out.WriteLine($"buffered: last ack {acknowledged.Last}, acknowledged {FlushInterval.TotalMilliseconds} ms before the kill {acknowledged.Before(FlushInterval)}, stored {stored}");
        AssertIntegrity();
    }

    [Test]
    public void KillMinusNineInImmediateMode_LosesNothingAcknowledged()
    {
        var (acknowledged, stored) = KillWhileLogging("--forever", "--immediate");

        Assert.That(stored, Is.GreaterThanOrEqualTo(acknowledged.Last));
        TestContext.Out.WriteLine($"immediate: last ack {acknowledged.Last}, stored {stored}");
        AssertIntegrity();
    }

    private (Acknowledgements Acknowledged, long Stored) KillWhileLogging(params string[] flags)
    {
        var acknowledged = new Acknowledgements();
        using (var process = ChildProcess.Start(_host, [_temp.DatabaseUrl(), "ns", "0", .. flags]))
        {
            process.OutputDataReceived += (_, e) => acknowledged.Add(e.Data);
            process.BeginOutputReadLine();
            Assert.That(SpinWait.SpinUntil(() => acknowledged.Last >= 1_000, TimeSpan.FromSeconds(60)), Is.True, "the child logs");
            Thread.Sleep(1_500); // long enough that most acknowledgements are older than a flush interval
            process.Kill(); // SIGKILL: no finalizers, no process-exit handlers
            acknowledged.KilledAt = Stopwatch.GetTimestamp();
            process.WaitForExit();
        }

        using var connection = Open();
        return (acknowledged, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM prompts"));
    }

    private void AssertIntegrity()
    {
        using var connection = Open();
        Assert.That(connection.ExecuteScalar<string>("PRAGMA integrity_check"), Is.EqualTo("ok"));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_temp.File("prompts.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>The child's "ack N" lines, with when each arrived.</summary>
    private sealed class Acknowledgements
    {
        private readonly List<(long At, long Count)> _lines = [];

        public long KilledAt { get; set; }

        public long Last
        {
            get
            {
                lock (_lines)
                {
                    return _lines.Count == 0 ? 0 : _lines[^1].Count;
                }
            }
        }

        public void Add(string? line)
        {
            if (line is not null && line.StartsWith("ack ", StringComparison.Ordinal))
            {
                lock (_lines)
                {
                    _lines.Add((Stopwatch.GetTimestamp(), long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }

        /// <summary>The last count acknowledged at least <paramref name="interval"/> before the kill.</summary>
        public long Before(TimeSpan interval)
        {
            lock (_lines)
            {
                return _lines.Where(l => Stopwatch.GetElapsedTime(l.At, KilledAt) >= interval).Select(l => l.Count).DefaultIfEmpty(0).Max();
            }
        }
    }
}
