using System.Globalization;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// A long export's or import's progress on standard error, when that is a terminal: one line rewritten in place
/// (<c>exporting… 120,000 prompts</c>), erased when the work ends so that the summary line stands alone.
/// </summary>
/// <param name="error">Standard error.</param>
/// <param name="doing">What is being done: <c>exporting</c>, <c>importing</c>.</param>
/// <param name="noun">What is counted: <c>prompts</c>, <c>records</c>.</param>
internal sealed class TerminalProgress(TextWriter error, string doing, string noun) : IProgress<int>, IDisposable
{
    private bool _shown;

    /// <summary>A progress line on <paramref name="console"/>'s standard error when it is a terminal; null otherwise.</summary>
    public static TerminalProgress? For(ToolConsole console, string doing, string noun) =>
        console.ErrorIsTerminal ? new TerminalProgress(console.Error, doing, noun) : null;

    public void Report(int value)
    {
        error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{doing}… {value:N0} {noun}"));
        error.Flush();
        _shown = true;
    }

    public void Dispose()
    {
        if (_shown)
        {
            // Back to the start of the line, and erase it.
            error.Write("\r\u001b[K");
            error.Flush();
            _shown = false;
        }
    }
}
