using System.Diagnostics;
using System.Text;

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

    public static Process Start(string dll, params string[] args) => StartIn(null, dll, args);

    public static Process StartIn(string? workingDirectory, string dll, params string[] args) =>
        StartWith(new Dictionary<string, string?>(), workingDirectory, dll, args);

    /// <summary>As <see cref="StartIn"/>, with these environment variables changed (null removes one).</summary>
    public static Process StartWith(IReadOnlyDictionary<string, string?> environment, string? workingDirectory, string dll, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs to the end (or fails the test after <paramref name="timeout"/>); returns exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string dll, TimeSpan timeout, params string[] args) =>
        RunIn(null, dll, timeout, args);

    /// <summary>As <see cref="Run(string, TimeSpan, string[])"/>, in <paramref name="workingDirectory"/>.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunIn(string? workingDirectory, string dll, TimeSpan timeout, params string[] args)
    {
        using var process = StartIn(workingDirectory, dll, args);
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

    /// <summary>Runs a command of the dotnet CLI (<c>dotnet restore …</c>) in <paramref name="workingDirectory"/>.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Dotnet(string workingDirectory, TimeSpan timeout, string command, params string[] args) =>
        RunIn(workingDirectory, command, timeout, args);

    /// <summary>The folder of PromptLogger.sln, above the tests' output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PromptLogger.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"PromptLogger.sln is not above {AppContext.BaseDirectory}");
    }

    // The dotnet CLI tells the processes it starts where it is; fall back to the one on PATH.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
