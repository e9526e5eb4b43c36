using System.Diagnostics;

namespace PromptLogging.Tests.Support;

/// <summary>Starts a program built beside the tests (<c>dotnet X.dll …</c>) and collects what it printed.</summary>
public static class ChildProcess
{
    /// <summary>The built dll of a sibling project, same configuration as the tests.</summary>
    public static string SiblingDll(string project, string assembly)
    {
        var testsBin = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var path = testsBin.Replace(
            Path.DirectorySeparatorChar + "PromptLogger.Tests" + Path.DirectorySeparatorChar,
            Path.DirectorySeparatorChar + project + Path.DirectorySeparatorChar,
            StringComparison.Ordinal);
        var dll = Path.Combine(path, assembly + ".dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} is built with the tests");
        return dll;
    }

    public static Process Start(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs to the end (or fails the test after <paramref name="timeout"/>); returns exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string dll, TimeSpan timeout, params string[] args)
    {
        using var process = Start(dll, args);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(dll)} {string.Join(' ', args)} did not finish within {timeout}");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
