using System.Text;
using System.Text.Json.Nodes;

namespace PromptLogging.Tests.Support;

/// <summary>What one run of <c>prompt-logger</c> left behind: its exit status and everything it wrote.</summary>
/// <param name="ExitCode">The exit status.</param>
/// <param name="Out">Text written to standard output (help, version; and the data, for a child process).</param>
/// <param name="Error">Text written to standard error.</param>
/// <param name="Data">Bytes written to the raw standard output stream (in-process runs only).</param>
internal sealed record ToolResult(int ExitCode, string Out, string Error, byte[] Data)
{
    /// <summary>The data written to standard output as UTF-8 text.</summary>
    public string DataText => Encoding.UTF8.GetString(Data);

    /// <summary>Standard error's lines, without the empty last one.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}; stdout: {Out}{DataText}; stderr: {Error}";

    /// <summary>Parses JSONL: one object a line, every line ending in <c>\n</c>.</summary>
    public static List<JsonObject> ParseJsonl(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("JSONL output does not end with a newline.");
        }

        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];
    }
}
