namespace PromptLogging.Tool;

/// <summary>
/// Where a run writes: <see cref="Out"/> for help and version text that was asked for, <see cref="Error"/> for
/// every message, and <see cref="Data"/> (the raw standard output) for exported JSONL.
/// </summary>
internal sealed record ToolConsole(TextWriter Out, TextWriter Error, Stream Data)
{
    public const string CommandName = "prompt-logger";

    /// <summary>Lines cut to this width when standard output is not a terminal that tells its own.</summary>
    public const int DefaultWidth = 160;

    /// <summary>Whether standard output is a terminal: tables and colours; otherwise plain, stable lines for scripts.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Whether colours may be used: a terminal, and no <c>NO_COLOR</c> in the environment.</summary>
    public bool Colors { get; init; }

    /// <summary>The width lines are cut to.</summary>
    public int Width { get; init; } = DefaultWidth;

    /// <summary>Whether standard error is a terminal (progress is shown there only then).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Whether standard input is a terminal, where a person can confirm (<c>purge</c> asks there only).</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>Standard input, for a confirmation; none when the run has no input.</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>The console of this process: what its outputs are, and how wide.</summary>
    public static ToolConsole ForProcess(Stream data)
    {
        var terminal = !Console.IsOutputRedirected;
        var width = DefaultWidth;
        if (terminal)
        {
            try
            {
                width = Console.WindowWidth > 0 ? Console.WindowWidth : DefaultWidth;
            }
            catch (IOException)
            {
                width = DefaultWidth;
            }
        }

        return new ToolConsole(Console.Out, Console.Error, data)
        {
            IsTerminal = terminal,
            Colors = terminal && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")),
            Width = width,
            ErrorIsTerminal = !Console.IsErrorRedirected,
            InputIsTerminal = !Console.IsInputRedirected,
            Input = Console.In,
        };
    }

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
        var line = Printable(message.ReplaceLineEndings(" ")).Trim();
        return line.Length <= MaxMessageLength
            ? line
            : $"{line[..(MaxMessageLength - KeptTail)]} … ({line.Length - MaxMessageLength} characters left out) … {line[^KeptTail..]}";
    }

    /// <summary>
    /// Control characters (C0, DEL, C1) shown as <c>\xNN</c>: a message may quote what a database holds (a record
    /// id, a table name), and an escape sequence in it must not reach the terminal (retitle it, clear it, fake lines).
    /// </summary>
    private static string Printable(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\0', '\x1F') && !text.AsSpan().ContainsAnyInRange('\x7F', '\x9F'))
        {
            return text;
        }

        var printable = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c == '\t')
            {
                printable.Append(' ');
            }
            else if (char.IsControl(c))
            {
                printable.Append("\\x").Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                printable.Append(c);
            }
        }

        return printable.ToString();
    }
}
