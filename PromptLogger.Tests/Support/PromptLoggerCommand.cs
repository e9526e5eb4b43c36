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
        var (exitCode, stdout, stderr) = ChildProcess.RunIn(workingDirectory, ToolDll(), TimeSpan.FromSeconds(30), args);
        return new ToolResult(exitCode, stdout, stderr, []);
    }

    // The test project references the Tool, so the build copies prompt-logger.dll and its runtimeconfig beside the tests.
    internal static string ToolDll()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "prompt-logger.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("prompt-logger.dll is not beside the tests; build the solution.", path);
    }
}
