using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Web;

/// <summary>
/// <c>prompt-logger serve</c> as a command: what it refuses before it listens (a missing database, one that is not
/// PromptLogger's, a port in use, a bad host), the one line it says when it serves, the warning of a non-loopback
/// host, <c>--open</c>, and a clean stop on Ctrl-C.
/// </summary>
public sealed class ServeCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public void AMissingDatabase_IsExitOne_BeforeAnythingListens()
    {
        using var folder = new TempFolder();

        var result = PromptLoggerCommand.Run("serve", "--port", "0", "-d", folder.DatabaseUrl());

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("prompt-logger: error: database not found: "));
        Assert.That(File.Exists(folder.File("prompts.db")), Is.False, "nothing was created");
    }

    [Test]
    public void AFileThatIsNotOurs_IsExitOne()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("prompts.db"), "not a database");

        var result = PromptLoggerCommand.Run("serve", "--port", "0", "-d", folder.DatabaseUrl());

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("is not a PromptLogger database"));
        Assert.That(File.ReadAllText(folder.File("prompts.db")), Is.EqualTo("not a database"));
    }

    [TestCase("--host", "example.org", "--host 'example.org' is not an IP address")]
    [TestCase("--port", "70000", "--port must be from 0 to 65535")]
    public void ABadHostOrPort_IsAUsageError(string flag, string value, string reason)
    {
        var result = PromptLoggerCommand.Run("serve", flag, value);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines[0], Does.StartWith("prompt-logger: error: " + reason));
    }

    [Test]
    public void APortInUse_IsExitOne_WithWhatToDo()
    {
        using var store = TestStore.Create(StoreKind.Sqlite);
        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "hello"));
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = PromptLoggerCommand.Run("serve", "--port", port, "-d", store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.Contain($"port {port} on 127.0.0.1 is in use").And.Contain("--port 0"));
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // kill -INT and a shell script as xdg-open.
    [Platform("Linux")]
    public async Task Serve_SaysWhereInOneLine_WarnsOfAnOpenHost_OpensTheBrowser_AndStopsOnCtrlC()
    {
        using var store = TestStore.Create(StoreKind.Sqlite);
        StoredRecords.Store(store.Url, StoredRecords.Chat("default", "hello from the store"));
        // --open runs xdg-open: a stand-in that writes down what it was asked to open.
        var opened = store.Temp.File("opened.txt");
        var bin = store.Temp.File("bin");
        Directory.CreateDirectory(bin);
        var opener = Path.Combine(bin, "xdg-open");
        File.WriteAllText(opener, $"#!/bin/sh\necho \"$1\" > '{opened}'\n");
        File.SetUnixFileMode(opener, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var environment = new Dictionary<string, string?> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };

        using var process = ChildProcess.StartWith(environment, store.Temp.Path, PromptLoggerCommand.ToolDll(), "serve", "--host", "0.0.0.0", "--port", "0", "--open", "-d", store.Url);
        try
        {
            var warning = await ReadLine(process);
            var serving = await ReadLine(process);

            Assert.That(warning, Does.StartWith("prompt-logger: warning: listening on 0.0.0.0, not only on this machine"));
            var match = System.Text.RegularExpressions.Regex.Match(serving, @"^serving (.+) at (http://0\.0\.0\.0:[0-9]+/) \(read-only; Ctrl-C stops\)$");
            Assert.That(match.Success, Is.True, serving);
            Assert.That(match.Groups[1].Value, Is.EqualTo(store.Temp.File("prompts.db")));
            var port = new Uri(match.Groups[2].Value).Port;
            using var http = new HttpClient { Timeout = Patience };
            var page = await http.GetStringAsync($"http://127.0.0.1:{port}/records?namespace=default");
            Assert.That(page, Does.Contain("hello from the store"));
            await WaitFor(() => File.Exists(opened));
            Assert.That(File.ReadAllText(opened).Trim(), Is.EqualTo(match.Groups[2].Value));

            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(Patience);
            await process.WaitForExitAsync(timeout.Token);
            Assert.That(process.ExitCode, Is.EqualTo(130));
            Assert.That(await process.StandardError.ReadToEndAsync(), Is.Empty, "Kestrel's own logging stays quiet");
            Assert.That(await process.StandardOutput.ReadToEndAsync(), Is.Empty);
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
        return await process.StandardError.ReadLineAsync(timeout.Token)
            ?? throw new AssertionException("serve ended: " + await process.StandardOutput.ReadToEndAsync());
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
