using System.Diagnostics;
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
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _line = new();
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

    /// <summary>
    /// <c>replaying… 37/100 prompts, about 1 min 20 s left</c>: the time left estimated from the pace so far. Safe to call
    /// from several threads (workers finishing at once).
    /// </summary>
    public void Report(int done, int total)
    {
        var left = done > 0 && total > done ? TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / done * (total - done)) : (TimeSpan?)null;
        var text = string.Create(CultureInfo.InvariantCulture, $"\r{doing}… {done:N0}/{total:N0} {noun}{(left is { } eta ? ", about " + Duration(eta) + " left" : string.Empty)}\u001b[K");
        lock (_line)
        {
            error.Write(text);
            error.Flush();
            _shown = true;
        }
    }

    private static string Duration(TimeSpan time) =>
        time.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes} min {time.Seconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Ceiling(time.TotalSeconds))} s");

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
