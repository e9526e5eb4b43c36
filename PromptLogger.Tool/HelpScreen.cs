using System.Reflection;
using CommandLine;
using CommandLine.Text;

namespace PromptLogging.Tool;

/// <summary>
/// Help and version text, built with CommandLineParser's <see cref="HelpText"/> but named after this tool whatever
/// the entry assembly is (tests run the tool inside a test host).
/// </summary>
internal static class HelpScreen
{
    private const int Width = 100;

    private static readonly Assembly ToolAssembly = typeof(HelpScreen).Assembly;

    public static string Version { get; } = ReadVersion();

    /// <summary><c>prompt-logger 0.1.0</c>: the answer to <c>--version</c> and the first line of help.</summary>
    public static string Heading { get; } = $"{ToolConsole.CommandName} {Version}";

    /// <summary>The verbs when none was recognised; otherwise the chosen verb's usage, examples and options.</summary>
    public static string Build<T>(ParserResult<T> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var verbsIndex = result.TypeInfo.Current == typeof(NullInstance);
        var help = HelpText.AutoBuild(result, h => h, e => e, verbsIndex, Width);
        help.AddNewLineBetweenHelpSections = true;
        help.Heading = Heading;
        help.Copyright = (ToolAssembly.GetCustomAttribute<AssemblyCopyrightAttribute>()?.Copyright ?? string.Empty) + ExamplesText(result.TypeInfo.Current);
        help.AddPostOptionsLine(
            "Exit status: 0 when the work was done; 1 when it failed (missing or unreadable database or spool file, malformed " +
            "database URL, output that cannot be written); 2 on a usage error; 130 when Ctrl-C (143 when SIGTERM) stopped it, its " +
            "partial output removed. Data goes to OUTPUT, messages to standard error.");
        return help.ToString();
    }

    /// <summary>
    /// A verb's examples (its static <c>Examples</c>), each command on one line of its own however long: the parser's
    /// own usage section wrapped them in the middle of a command, which then could not be copied.
    /// </summary>
    private static string ExamplesText(Type verb)
    {
        if (verb.GetProperty("Examples", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not IReadOnlyList<(string What, string Command)> examples)
        {
            return string.Empty;
        }

        var text = new System.Text.StringBuilder(Environment.NewLine).Append(Environment.NewLine).Append("EXAMPLES:");
        foreach (var (what, command) in examples)
        {
            text.Append(Environment.NewLine).Append("  ").Append(what).Append(':')
                .Append(Environment.NewLine).Append("    ").Append(command);
        }

        return text.ToString();
    }

    private static string ReadVersion()
    {
        var version = ToolAssembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? ToolAssembly.GetName().Version?.ToString()
            ?? "0.0.0";
        var metadata = version.IndexOf('+', StringComparison.Ordinal);
        return metadata < 0 ? version : version[..metadata];
    }
}
