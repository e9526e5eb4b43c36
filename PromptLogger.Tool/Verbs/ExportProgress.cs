using System.Globalization;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// A long export's progress on standard error, when that is a terminal: one line rewritten in place
/// (<c>exporting… 120,000 prompts</c>), erased when the export ends so that the summary line stands alone.
/// </summary>
internal sealed class ExportProgress(TextWriter error, string noun) : IProgress<int>, IDisposable
{
    private bool _shown;

    public void Report(int value)
    {
        error.Write(string.Create(CultureInfo.InvariantCulture, $"\rexporting… {value:N0} {noun}"));
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
