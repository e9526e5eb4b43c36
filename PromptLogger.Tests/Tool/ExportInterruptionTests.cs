using System.Diagnostics;
using System.Runtime.InteropServices;
using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Tests.Support;
using PromptLogging.Tool;

namespace PromptLogging.Tests.Tool;

/// <summary>
/// An export stopped half-way: SIGINT or SIGTERM sent to a real <c>prompt-logger</c> process while it writes a large
/// export, and SIGKILL, after which the next export cleans up. The database is built once for the fixture.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ExportInterruptionTests
{
    // Large enough that the export takes seconds, so the signal lands while the temporary file is being written.
    private const int Rows = 100_000;

    private TempFolder _data = null!;
    private string _url = null!;
    private TempFolder _temp = null!;
    private string _output = null!;

    [OneTimeSetUp]
    public void CreateLargeDatabase()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Signals are sent with kill on Unix.");
        }

        _data = new TempFolder();
        _url = _data.DatabaseUrl();
        SampleDatabase.Create(_url, logger => logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", new string('q', 4_000), "a")));
        using var connection = new SqliteConnection($"Data Source={_data.File("prompts.db")};Pooling=False");
        connection.Open();
        connection.Execute($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows - 1})
            INSERT INTO prompts (id, namespace, kind, model, messages, generation_kwargs, completions, prompt, response,
                inference_on, inference_seconds, provider, tools, input_tokens, output_tokens, error, stream,
                time_to_first_token_seconds, tags)
            SELECT 'copy-' || i, namespace, kind, model, messages, generation_kwargs, completions, prompt, response,
                inference_on, inference_seconds, provider, tools, input_tokens, output_tokens, error, stream,
                time_to_first_token_seconds, tags
            FROM n, (SELECT * FROM prompts LIMIT 1)
            """);
    }

    [OneTimeTearDown]
    public void DeleteLargeDatabase() => _data?.Dispose();

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _output = _temp.File("out.jsonl");
        File.WriteAllText(_output, "old content\n");
    }

    [TearDown]
    public void TearDown() => _temp?.Dispose();

    [TestCase("INT", 130, "SIGINT (Ctrl-C)")]
    [TestCase("TERM", 143, "SIGTERM")]
    public void ASignalDuringAnExport_RemovesTheTemporaryFileKeepsTheOutputAndExitsWithTheSignalsStatus(string signal, int exitCode, string name)
    {
        using var process = StartExport();
        var temporary = WaitForTemporaryFile(process);

        var (killed, output) = SmallDisk.Run("kill", "-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(killed, Is.Zero, output);
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(TimeSpan.FromSeconds(60)), Is.True, "the export stops");

        Assert.That(process.ExitCode, Is.EqualTo(exitCode));
        Assert.That(stderr.Result, Is.EqualTo($"prompt-logger: error: export interrupted by {name}; {_output} was not replaced and the partial export was removed.\n"));
        Assert.That(File.Exists(temporary), Is.False, "the temporary file is removed");
        Assert.That(Directory.GetFiles(_temp.Path), Is.EqualTo(new[] { _output }));
        Assert.That(File.ReadAllText(_output), Is.EqualTo("old content\n"));
    }

    [Test]
    public void AKilledExport_LeavesItsTemporaryFileForTheNextExportToRemove()
    {
        using var process = StartExport();
        var temporary = WaitForTemporaryFile(process);
        process.Kill();
        process.WaitForExit();
        Assert.That(File.Exists(temporary), Is.True, "SIGKILL gives no chance to clean up");
        Assert.That(Path.GetFileName(temporary), Does.Match($@"^\.out\.jsonl\.promptlogger-export-{process.Id}-[0-9a-f]{{8}}\.tmp$"), "a recognisable name");
        Assert.That(File.ReadAllText(_output), Is.EqualTo("old content\n"));

        var result = PromptLoggerCommand.Run("export", "prompts", _output, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(File.Exists(temporary), Is.False, "the next export removed the stale temporary file");
        Assert.That(Directory.GetFiles(_temp.Path), Is.EqualTo(new[] { _output }));
        Assert.That(CountLines(_output), Is.EqualTo(Rows));
    }

    [Test]
    public void AnInterruptionInProcess_ExitsOneHundredThirtyWithAMessageAndKeepsTheOutput()
    {
        using var interruption = new Interruption();
        interruption.Raise(PosixSignal.SIGINT);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = Program.Run(["export", "prompts", _output, "-d", _url], stdout, stderr, new MemoryStream(), interruption);

        Assert.That(code, Is.EqualTo(130));
        Assert.That(stderr.ToString(), Does.StartWith("prompt-logger: error: export interrupted by SIGINT"));
        Assert.That(Directory.GetFiles(_temp.Path), Is.EqualTo(new[] { _output }));
        Assert.That(File.ReadAllText(_output), Is.EqualTo("old content\n"));
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // Skipped elsewhere.
    public void OneSigtermEndsAnExportBlockedOpeningAFifoNobodyReads()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Reads where a thread waits from /proc (Linux).");
        }

        var fifo = _temp.File("pipe");
        var (made, madeOutput) = SmallDisk.Run("mkfifo", fifo);
        Assert.That(made, Is.Zero, madeOutput);
        var dll = Path.Combine(AppContext.BaseDirectory, "prompt-logger.dll");
        using var process = ChildProcess.Start(dll, "export", "prompts", fifo, "-d", _url);
        var clock = Stopwatch.StartNew();
        while (!WaitsOpeningAFifo(process.Id))
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "the export never got to open the FIFO");
            Assert.That(process.HasExited, Is.False, () => "the export ended: " + process.StandardError.ReadToEnd());
            Thread.Sleep(20);
        }

        // One SIGTERM, as timeout(1) or systemctl stop sends; nobody ever opens the FIFO for reading.
        var (killed, output) = SmallDisk.Run("kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(killed, Is.Zero, output);
        var stderr = process.StandardError.ReadToEndAsync();
        var ended = process.WaitForExit(TimeSpan.FromSeconds(30));
        if (!ended)
        {
            process.Kill();
        }

        Assert.That(ended, Is.True, "one SIGTERM ends the export, without a second signal or SIGKILL");
        Assert.That(process.ExitCode, Is.EqualTo(143));
        Assert.That(stderr.Result, Does.Contain("interrupted by SIGTERM").And.Contain("ending now"));
    }

    // The main thread (the export runs on it) waiting in open() for a FIFO's reader; another thread of the runtime
    // waits so from the start, so only the main one tells.
    private static bool WaitsOpeningAFifo(int processId)
    {
        try
        {
            return File.ReadAllText($"/proc/{processId}/task/{processId}/wchan") is "fifo_open" or "wait_for_partner";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private Process StartExport()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "prompt-logger.dll");
        return ChildProcess.Start(dll, "export", "prompts", _output, "-d", _url);
    }

    private string WaitForTemporaryFile(Process process)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var found = Directory.GetFiles(_temp.Path, "*.tmp")
                .FirstOrDefault(path => new FileInfo(path).Length > 0);
            if (found is not null)
            {
                return found;
            }

            Assert.That(process.HasExited, Is.False, () => "the export ended before it could be interrupted: " + process.StandardError.ReadToEnd());
            Thread.Sleep(10);
        }

        process.Kill();
        Assert.Fail("no temporary file appeared within 60 s");
        return string.Empty;
    }

    private static long CountLines(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 16];
        long lines = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }
}
