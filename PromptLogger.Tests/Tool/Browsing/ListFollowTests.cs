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

    [Test]
    public async Task Follow_AfterAnImportedRecordWithAHighId_PrintsRecordsStoredLater()
    {
        using var store = TestStore.Create(kind);
        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "imported") with { Id = PromptLogging.Tests.Browsing.RecordFollowerTests.HighImportedId });
        using var process = ChildProcess.StartIn(store.Temp.Path, PromptLoggerCommand.ToolDll(), "list", "--follow", "-d", store.Url);
        try
        {
            Assert.That(await ReadLine(process), Does.Contain("imported → answer"));

            StoredRecords.Store(store.Url, StoredRecords.Chat("default", "stored later"));

            Assert.That(await ReadLine(process), Does.Contain("stored later → answer"));
        }
        finally
        {
            process.Kill();
        }
    }

    [Test]
    public void Redirected_ListAndTables_ArePlainLinesWithoutEscapes_EvenForHostileText()
    {
        using var store = TestStore.Create(kind);
        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "\u001b[31mred\u001b[0m [bold]x[/]", "\u202eright-to-left"));

        var list = PromptLoggerCommand.RunProcess(store.Temp.Path, "list", "-d", store.Url);
        var namespaces = PromptLoggerCommand.RunProcess(store.Temp.Path, "namespaces", "-d", store.Url);

        Assert.That(list.ExitCode, Is.Zero, list.ToString());
        Assert.That(list.Out.Contains('\u001b', StringComparison.Ordinal), Is.False);
        Assert.That(list.Out.Contains('\u202e', StringComparison.Ordinal), Is.False);
        Assert.That(list.Out, Does.Contain("\\x1B[31mred\\x1B[0m [bold]x[/] → \\u{202E}right-to-left"));
        Assert.That(namespaces.Out, Does.StartWith("namespace\tprompts\tfirst use\tlast use\ndefault\t1\t"));
    }

    private static async Task<string> ReadLine(Process process)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        return line ?? throw new AssertionException("list --follow ended: " + await process.StandardError.ReadToEndAsync());
    }
}
