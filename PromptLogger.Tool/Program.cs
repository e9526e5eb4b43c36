using CommandLine;
using PromptLogging.Export;
using PromptLogging.Stats;
using PromptLogging.Tool.Rendering;
using PromptLogging.Tool.Verbs;

namespace PromptLogging.Tool;

/// <summary>The <c>prompt-logger</c> command: parses the command line and hands it to a verb.</summary>
internal static class Program
{
    /// <summary>The verbs, in the order help lists them.</summary>
    internal static readonly Type[] Verbs = [typeof(ExportOptions), typeof(ImportOptions), typeof(SearchOptions), typeof(StatsOptions)];

    private static int Main(string[] args)
    {
        using var interruption = Interruption.ListenForSignals();
        using var data = Console.OpenStandardOutput();
        return Run(args, Console.Out, Console.Error, data, interruption);
    }

    /// <summary>Runs one command line; in-process, so that tests need not start a process.</summary>
    /// <returns>An <see cref="ExitCode"/>.</returns>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, Stream stdoutStream) =>
        Run(args, stdout, stderr, stdoutStream, null);

    /// <summary>As <see cref="Run(string[], TextWriter, TextWriter, Stream)"/>, stopped by <paramref name="interruption"/>.</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, Stream stdoutStream, Interruption? interruption)
    {
        ArgumentNullException.ThrowIfNull(args);
        var console = new ToolConsole(stdout, stderr, stdoutStream);
        try
        {
            using var parser = CreateParser();
            var result = parser.ParseArguments(args, Verbs);
            return result.MapResult(
                (ExportOptions options) => Export(args, options, result, console, interruption),
                (ImportOptions options) => Import(args, options, result, console),
                (SearchOptions options) => Search(args, options, result, console, stdout),
                (StatsOptions options) => Stats(args, options, result, console, stdout),
                errors => Usage.ReportErrors(parser, result, errors, console));
        }
#pragma warning disable CA1031 // A command-line tool reports every failure as one line and an exit status, never a stack trace.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            console.WriteError($"unexpected {exception.GetType().Name}: {exception.Message}");
            return ExitCode.Failure;
        }
    }

    private static int Export(string[] args, ExportOptions options, ParserResult<object> result, ToolConsole console, Interruption? interruption)
    {
        if (MissingOptionValue.Find(args, typeof(ExportOptions)) is { } missing)
        {
            return Usage.ReportProblem(result, missing, console);
        }

        options.Tags = RepeatedOption.Values(args, ExportOptions.TagOption);
        return ExportRequest.TryCreate(options, out var request, out var problem)
            ? new ExportRunner(console, interruption).Run(request)
            : Usage.ReportProblem(result, problem, console);
    }

    private static int Import(string[] args, ImportOptions options, ParserResult<object> result, ToolConsole console)
    {
        if (MissingOptionValue.Find(args, typeof(ImportOptions)) is { } missing)
        {
            return Usage.ReportProblem(result, missing, console);
        }

        return ImportRequest.TryCreate(options, out var request, out var problem)
            ? new ImportRunner(console).Run(request)
            : Usage.ReportProblem(result, problem, console);
    }

    private static int Search(string[] args, SearchOptions options, ParserResult<object> result, ToolConsole console, TextWriter stdout)
    {
        if (MissingOptionValue.Find(args, typeof(SearchOptions)) is { } missing)
        {
            return Usage.ReportProblem(result, missing, console);
        }

        options.Tags = RepeatedOption.Values(args, SearchOptions.TagOption);
        ExportFilter? filter = null;
        var kind = string.Empty;
        var problem = options.Unexpected.FirstOrDefault() is { } extra
            ? $"unexpected argument '{extra}'; search takes one QUERY (quote it for the shell)."
            : string.IsNullOrWhiteSpace(options.Query)
                ? "the query is empty; give a word to search for, as in: search refund."
                : options.Limit <= 0
                    ? $"--limit must be a positive number, not {options.Limit}."
                    : SelectionArguments.TryRead(options.Namespace, options.Models, options.Conversation, options.User, options.Tags, options.Type, out filter, out kind);
        return problem is null
            ? new SearchRunner(console, OutputStyle.For(stdout)).Run(options.Database, options.Query, filter!, kind, options.Limit, options.Json)
            : Usage.ReportProblem(result, problem, console);
    }

    private static int Stats(string[] args, StatsOptions options, ParserResult<object> result, ToolConsole console, TextWriter stdout)
    {
        if (MissingOptionValue.Find(args, typeof(StatsOptions)) is { } missing)
        {
            return Usage.ReportProblem(result, missing, console);
        }

        options.Tags = RepeatedOption.Values(args, StatsOptions.TagOption);
        ExportFilter? filter = null;
        var kind = string.Empty;
        var problem = options.Unexpected.FirstOrDefault() is { } extra
            ? $"unexpected argument '{extra}'; stats takes no arguments, only options."
            : !StatsGroupings.ByName.TryGetValue(options.By, out _)
                ? $"--by must be one of {string.Join(", ", StatsGroupings.ByName.Keys)}, not '{options.By}'."
                : options.Prices is { Length: 0 }
                    ? "--prices is empty; give a price table file."
                    : SelectionArguments.TryRead(options.Namespace, options.Models, options.Conversation, options.User, options.Tags, options.Type, out filter, out kind);
        return problem is null
            ? new StatsRunner(console, OutputStyle.For(stdout)).Run(options.Database, filter!, kind, StatsGroupings.ByName[options.By], options.Prices, options.Json)
            : Usage.ReportProblem(result, problem, console);
    }

    // HelpWriter = null: CommandLineParser would write help to the console itself; Usage decides stdout or stderr.
    private static Parser CreateParser() => new(settings =>
    {
        settings.HelpWriter = null;
        settings.AutoHelp = true;
        settings.AutoVersion = true;
        settings.CaseSensitive = true;
        settings.MaximumDisplayWidth = 100;
        // Getopt habits: "--models=a,b", "--" before an OUTPUT that starts with a dash, the last repeated option wins.
        settings.GetoptMode = true;
    });
}
