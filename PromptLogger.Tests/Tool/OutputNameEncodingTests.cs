using System.Diagnostics;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary>
/// An OUTPUT whose bytes are not valid UTF-8: .NET hands such an argument over with U+FFFD in place of the bytes, so
/// writing it would create a file of another name. The tool refuses it as a usage error instead.
/// </summary>
[TestFixture]
public sealed class OutputNameEncodingTests
{
    private TempFolder _temp = null!;
    private string _url = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _url = _temp.DatabaseUrl();
        SampleDatabase.Create(_url, logger => logger.SaveInteraction("p", "r"));
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void AnOutputWithInvalidUtf8Bytes_ExitsTwoAndWritesNoFile()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Windows command lines are UTF-16; raw bytes are passed through /bin/sh on Unix.");
        }

        var before = Directory.GetFileSystemEntries(_temp.Path);
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _temp.Path,
        };
        // printf makes the byte 0xFF, which no UTF-8 text holds; the paths are passed as positional parameters.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$1\" export prompts \"$(printf 'out\\377.jsonl')\" -d \"$2\"");
        start.ArgumentList.Add(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "prompt-logger.dll"));
        start.ArgumentList.Add(_url);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(TimeSpan.FromSeconds(60)), Is.True);

        Assert.That(process.ExitCode, Is.EqualTo(2), stderr.Result);
        Assert.That(stderr.Result, Does.StartWith("prompt-logger: error: OUTPUT 'out\uFFFD.jsonl' is not valid UTF-8"));
        Assert.That(stdout.Result, Is.Empty);
        Assert.That(Directory.GetFileSystemEntries(_temp.Path), Is.EquivalentTo(before), "no file under any name");
    }

    [Test]
    public void AnOutputHoldingTheReplacementCharacter_IsAUsageErrorInProcess()
    {
        var result = PromptLoggerCommand.Run("export", "prompts", _temp.File("out\uFFFD.jsonl"), "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines[0], Does.Contain("is not valid UTF-8"));
        Assert.That(File.Exists(_temp.File("out\uFFFD.jsonl")), Is.False);
    }
}
