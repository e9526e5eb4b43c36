using CommandLine;
using CommandLine.Text;
using PromptLogging.Tool.Verbs;

namespace PromptLogging.Tool;

/// <summary>
/// What a command line that did not name work to do gets: help or version on standard output when asked for (exit
/// 0), otherwise one line on standard error with the reason and where the help is (exit 2).
/// </summary>
internal static class Usage
{
    public static int ReportErrors(Parser parser, ParserResult<object> result, IEnumerable<Error> errors, ToolConsole console)
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(console);
        var list = errors.ToList();
        if (list.IsVersion())
        {
            console.Out.WriteLine(HelpScreen.Heading);
            return ExitCode.Success;
        }

        if (list.OfType<HelpVerbRequestedError>().FirstOrDefault() is { Matched: true } verbHelp)
        {
            // "help export" is "export --help": parse it so, and the help is the verb's own.
            console.Out.WriteLine(HelpScreen.Build(parser.ParseArguments([verbHelp.Verb, "--help"], Program.Verbs)));
            return ExitCode.Success;
        }

        if (list.IsHelp())
        {
            console.Out.WriteLine(HelpScreen.Build(result));
            return ExitCode.Success;
        }

        var reason = list.Where(e => !e.StopsProcessing).Select(e => Describe(result, e)).FirstOrDefault()
            ?? "nothing to do; name a verb.";
        return ReportProblem(result, reason, console);
    }

    /// <summary>
    /// A command line the parser accepted but a verb did not (<c>export everything</c>, <c>--type json</c>, <c>import ''</c>):
    /// one line, the reason and the hint, never the whole help screen.
    /// </summary>
    public static int ReportProblem(ParserResult<object> result, string problem, ToolConsole console)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(console);
        console.WriteError($"{problem} {Hint(result)}");
        return ExitCode.Usage;
    }

    /// <summary><c>(see prompt-logger export --help)</c>: the chosen verb's help, or the list of verbs.</summary>
    public static string Hint(ParserResult<object> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var verb = result.TypeInfo.Current.GetCustomAttributes(typeof(VerbAttribute), false).OfType<VerbAttribute>().FirstOrDefault();
        return verb is null
            ? $"(see {ToolConsole.CommandName} --help)"
            : $"(see {ToolConsole.CommandName} {verb.Name} --help)";
    }

    private static string Describe(ParserResult<object> result, Error error) => error switch
    {
        // The parser's own sentence for a missing positional value names no value at all.
        MissingRequiredOptionError { NameInfo.NameText.Length: 0 } when result.TypeInfo.Current == typeof(ExportOptions) =>
            "export needs what to export and where: export models|prompts OUTPUT (OUTPUT - for standard output).",
        MissingRequiredOptionError { NameInfo.NameText.Length: 0 } when result.TypeInfo.Current == typeof(ImportOptions) =>
            "import needs a file to read: import SOURCE.",
        MissingRequiredOptionError { NameInfo.NameText.Length: 0 } when result.TypeInfo.Current == typeof(CompareOptions) =>
            "compare needs two namespaces: compare NS_A NS_B.",
        MissingRequiredOptionError { NameInfo.NameText.Length: 0 } when result.TypeInfo.Current == typeof(ShowOptions) =>
            "show needs the id of a record (a unique prefix is enough): show ID.",
        MissingRequiredOptionError { NameInfo.NameText.Length: 0 } when result.TypeInfo.Current == typeof(ReportOptions) =>
            "report needs the HTML file to write: report OUTPUT.html (- for standard output).",
        _ => SentenceBuilder.Create().FormatError(error),
    };
}
