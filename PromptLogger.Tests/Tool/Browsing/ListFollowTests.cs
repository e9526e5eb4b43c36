using System.Diagnostics;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool.Browsing;

/// <summary><c>list --follow</c> in a real process: it prints what another process stores after it started, until Ctrl-C.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class ListFollowTests(StoreKind kind)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Follow_PrintsRecordsStoredLater_InOrder_AndStopsOnSigint()
    {
        using var store = TestStore.Create(kind);
        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "before"));
        using var process = ChildProcess.StartIn(store.Temp.Path, PromptLoggerCommand.ToolDll(), "list", "--follow", "-d", store.Url);
        try
        {
            Assert.That(await ReadLine(process), Does.Contain("before → answer"));

            StoredRecords.Store(store.Url, StoredRecords.Chat("default", "later 1"), StoredRecords.Chat("other", "elsewhere"));
            StoredRecords.Store(store.Url, StoredRecords.Chat("default", "later 2"));

            Assert.That(await ReadLine(process), Does.Contain("later 1 → answer"));
            Assert.That(await ReadLine(process), Does.Contain("later 2 → answer"), "the other namespace's record is not shown");

            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(Patience);
            await process.WaitForExitAsync(timeout.Token);
            Assert.That(process.ExitCode, Is.EqualTo(130));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task<string> ReadLine(Process process)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        return line ?? throw new AssertionException("list --follow ended: " + await process.StandardError.ReadToEndAsync());
    }
}
