using System.Diagnostics;
using System.Text;
using PromptLogging.Tool;

namespace PromptLogging.Tests.Support;

/// <summary>Runs <c>prompt-logger</c>: in-process through <c>Program.Run</c>, or as a real child process.</summary>
internal static class PromptLoggerCommand
{
    public static ToolResult Run(params string[] args) => Run(new MemoryStream(), args);

    /// <summary>Runs in-process with <paramref name="data"/> as the raw standard output.</summary>
    public static ToolResult Run(Stream data, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = Program.Run(args, stdout, stderr, data);
        var bytes = data is MemoryStream memory ? memory.ToArray() : [];
        return new ToolResult(exitCode, stdout.ToString(), stderr.ToString(), bytes);
    }

    /// <summary>Runs the built <c>prompt-logger.dll</c> with <c>dotnet</c>, as a user would.</summary>
    public static ToolResult RunProcess(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ToolDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("prompt-logger did not exit within 30 seconds.");
        }

        return new ToolResult(process.ExitCode, output, error.GetAwaiter().GetResult(), []);
    }

    // The test project references the Tool, so the build copies prompt-logger.dll and its runtimeconfig beside the tests.
    private static string ToolDll()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "prompt-logger.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("prompt-logger.dll is not beside the tests; build the solution.", path);
    }

    // The dotnet CLI tells the processes it starts where it is; fall back to the one on PATH.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
