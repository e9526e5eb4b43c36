using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Writing;

/// <summary>
/// <see cref="Durability.Immediate"/> on asynchronous paths awaits the commit without blocking a pool thread: in a
/// process whose thread pool has two threads, 200 concurrent asynchronous calls all complete.
/// </summary>
public sealed class ImmediateUnderPressureTests
{
    [Test]
    public void TwoHundredConcurrentAsyncImmediateCalls_CompleteOnAPoolOfTwoThreads()
    {
        using var temp = new TempFolder();
        var host = ChildProcess.SiblingDll("PromptLogger.TestHost", "PromptLogger.TestHost");

        // The old writer blocked a pool thread per call until its commit, and the writer needs a pool thread to
        // commit: with two threads, the process never finished (the harness kills it after the bound and fails).
        var (exitCode, stdout, stderr) = ChildProcess.Run(host, TimeSpan.FromSeconds(120), temp.DatabaseUrl(), "ns", "200", "--immediate", "--async-starved");

        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("recorded 200"));
        Assert.That(DistinctRows(temp), Is.EqualTo(200));
    }

    [Test]
    public void TwoHundredConcurrentImmediateStreams_CompleteOnAPoolOfTwoThreads()
    {
        using var temp = new TempFolder();
        var host = ChildProcess.SiblingDll("PromptLogger.TestHost", "PromptLogger.TestHost");

        // A streamed call is recorded when its enumeration ends; with Immediate that end is awaited, not blocked on.
        var (exitCode, stdout, stderr) = ChildProcess.Run(host, TimeSpan.FromSeconds(120), temp.DatabaseUrl(), "ns", "200", "--immediate", "--async-starved", "--stream");

        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("recorded 200"));
        Assert.That(DistinctRows(temp), Is.EqualTo(200));
    }

    private static long DistinctRows(TempFolder temp)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={temp.File("prompts.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(DISTINCT COALESCE(prompt, messages)) FROM prompts";
        return (long)command.ExecuteScalar()!;
    }
}
