namespace PromptLogging.Tool;

/// <summary>
/// Where a run writes: <see cref="Out"/> for help and version text that was asked for, <see cref="Error"/> for
/// every message, and <see cref="Data"/> (the raw standard output) for exported JSONL.
/// </summary>
internal sealed record ToolConsole(TextWriter Out, TextWriter Error, Stream Data)
{
    public const string CommandName = "prompt-logger";

    /// <summary>
    /// Reports a failure as one line, <c>prompt-logger: error: …</c>, never a stack trace, and never a password: a
    /// message that quotes a URL or connection string (even one too malformed to parse) shows it masked.
    /// </summary>
    public void WriteError(string message) =>
        Error.WriteLine($"{CommandName}: error: {OneLine(Storage.DatabaseUrl.RedactText(message))}");

    /// <summary>Reports something the user should know about work that was done: <c>prompt-logger: warning: …</c>.</summary>
    public void WriteWarning(string message) =>
        Error.WriteLine($"{CommandName}: warning: {OneLine(message)}");

    // A message quotes what the user typed; a 100 KB path would bury the line, so its middle is left out.
    private const int MaxMessageLength = 1_000;
    private const int KeptTail = 200;

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= MaxMessageLength
            ? line
            : $"{line[..(MaxMessageLength - KeptTail)]} … ({line.Length - MaxMessageLength} characters left out) … {line[^KeptTail..]}";
    }
}
