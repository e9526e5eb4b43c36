using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary>
/// Ctrl-C during <c>prompt-logger replay</c>: SIGINT sent to a real process half-way through leaves only complete records
/// (every one an answer, linked to its original), and running the same command again replays the rest.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReplayInterruptionTests
{
    private const int Prompts = 40;

    [Test]
    public void SigintMidRun_LeavesOnlyCompleteRecords_AndARerunFinishesTheRest()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Signals are sent with kill on Unix.");
        }

        using var folder = new TempFolder();
        var url = folder.DatabaseUrl();
        using var server = OpenAICompatibleServer.Start();
        server.ReplyContentByModel[ReplayCommandTests.ModelB] = "The weather is rainy today.";
        var originals = ReplayCommandTests.Record(url, server, Prompts);
        // Slow enough answers that the run lasts seconds: the signal lands while prompts are in flight.
        server.Mode = ServerMode.Slow;
        server.SlowDelay = TimeSpan.FromMilliseconds(300);
        var keyVariable = "PROMPTLOGGER_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(keyVariable, "sk-test-interrupted-run");
        try
        {
            string[] args = ["replay", "-d", url, "-n", ReplayCommandTests.Original, "--model", ReplayCommandTests.ModelB, "--endpoint", server.BaseUrl, "--api-key-env", keyVariable, "--concurrency", "2"];
            using var process = ChildProcess.Start(PromptLoggerCommand.ToolDll(), args);
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync();
            WaitForReplays(folder.File("prompts.db"), atLeast: 4, process);

            var (killed, output) = SmallDisk.Run("kill", "-INT", process.Id.ToString(CultureInfo.InvariantCulture));
            Assert.That(killed, Is.Zero, output);
            Assert.That(process.WaitForExit(TimeSpan.FromSeconds(60)), Is.True, "the replay stops");

            var afterSignal = Replays(folder.File("prompts.db"));
            Assert.Multiple(() =>
            {
                Assert.That(process.ExitCode, Is.EqualTo(130), stderr.Result);
                Assert.That(stderr.Result, Does.Contain("replay interrupted by SIGINT (Ctrl-C)"));
                Assert.That(stderr.Result, Does.Contain("Run the same command again to replay the rest."));
                Assert.That(afterSignal, Has.Count.LessThan(Prompts), "stopped before the end");
                Assert.That(afterSignal.All(r => r.Error is null && r.Completions is not null && r.ReplayOf is not null), Is.True, "only complete records");
                Assert.That(afterSignal.Select(r => r.ReplayOf).Distinct().Count(), Is.EqualTo(afterSignal.Count));
            });

            server.Mode = ServerMode.Normal;
            var rerun = PromptLoggerCommand.Run(args);

            var all = Replays(folder.File("prompts.db"));
            Assert.Multiple(() =>
            {
                Assert.That(rerun.ExitCode, Is.Zero, rerun.ToString());
                Assert.That(rerun.Error, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"{Prompts - afterSignal.Count} replayed, 0 failed, {afterSignal.Count} replayed before")));
                Assert.That(all.Select(r => r.ReplayOf), Is.EquivalentTo(originals));
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable(keyVariable, null);
        }
    }

    private static void WaitForReplays(string database, int atLeast, System.Diagnostics.Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Replays(database).Count < atLeast)
        {
            Assert.That(process.HasExited, Is.False, "the replay is still running");
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "replays were stored");
            Thread.Sleep(50);
        }
    }

    private static List<Replayed> Replays(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        return [.. connection.Query<Replayed>(
            "SELECT replay_of AS ReplayOf, completions AS Completions, error AS Error FROM prompts WHERE namespace = @ns",
            new { ns = ReplayCommandTests.Into })];
    }

    private sealed class Replayed
    {
        public string? ReplayOf { get; set; }

        public string? Completions { get; set; }

        public string? Error { get; set; }
    }
}
