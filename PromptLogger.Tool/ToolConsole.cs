namespace PromptLogging.Tool;

/// <summary>
/// Where a run writes: <see cref="Out"/> for help and version text that was asked for, <see cref="Error"/> for
/// every message, and <see cref="Data"/> (the raw standard output) for exported JSONL.
/// </summary>
internal sealed record ToolConsole(TextWriter Out, TextWriter Error, Stream Data)
{
    public const string CommandName = "prompt-logger";

    /// <summary>Reports a failure as one line, <c>prompt-logger: error: …</c>, never a stack trace.</summary>
    public void WriteError(string message) =>
        Error.WriteLine($"{CommandName}: error: {OneLine(message)}");

    private static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
