using CommandLine;
using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Stats;
using PromptLogging.Tool.Browsing;
using PromptLogging.Tool.Compare;
using PromptLogging.Tool.Replay;
using PromptLogging.Tool.Rendering;
using PromptLogging.Tool.Verbs;

namespace PromptLogging.Tool;

/// <summary>The <c>prompt-logger</c> command: parses the command line and hands it to a verb.</summary>
internal static class Program
{
    /// <summary>The verbs, in the order help lists them.</summary>
    internal static readonly Type[] Verbs =
    [
        typeof(ExportOptions), typeof(ListOptions), typeof(ShowOptions), typeof(SearchOptions), typeof(StatsOptions),
        typeof(NamespacesOptions), typeof(ModelsOptions), typeof(ImportOptions), typeof(PurgeOptions),
        typeof(ServeOptions), typeof(ReportOptions), typeof(ReplayVerbOptions), typeof(CompareOptions),
    ];

    private static int Main(string[] args)
    {
        using var interruption = Interruption.ListenForSignals();
        using var data = Console.OpenStandardOutput();
        return Run(args, ToolConsole.ForProcess(data), interruption);
    }

    /// <summary>Runs one command line; in-process, so that tests need not start a process.</summary>
    /// <returns>An <see cref="ExitCode"/>.</returns>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, Stream stdoutStream) =>
        Run(args, stdout, stderr, stdoutStream, null);

    /// <summary>As <see cref="Run(string[], TextWriter, TextWriter, Stream)"/>, stopped by <paramref name="interruption"/>.</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, Stream stdoutStream, Interruption? interruption) =>
        Run(args, new ToolConsole(stdout, stderr, stdoutStream), interruption);

    /// <summary>Runs one command line on <paramref name="console"/>.</summary>
    internal static int Run(string[] args, ToolConsole console, Interruption? interruption)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        try
        {
            args = WithLongHelp(args);
            using var parser = CreateParser();
            var result = parser.ParseArguments(args, Verbs);
            return result.MapResult(
                (ExportOptions options) => Export(args, options, result, console, interruption),
                (ListOptions options) => List(args, options, result, console, interruption),
                (ShowOptions options) => Show(args, options, result, console),
                (NamespacesOptions options) => Checked(args, options, options.Unexpected, result, console, () => new ContentsRunner(console).Namespaces(options.Json, options.Database)),
                (ModelsOptions options) => Models(args, options, result, console),
                (ImportOptions options) => Import(args, options, result, console),
                (SearchOptions options) => Search(args, options, result, console),
                (StatsOptions options) => Stats(args, options, result, console),
                (PurgeOptions options) => Purge(args, options, result, console, interruption),
                (ReplayVerbOptions options) => Replay(args, options, result, console, interruption),
                (CompareOptions options) => Compare(args, options, result, console),
                (ReportOptions options) => Report(args, options, result, console, interruption),
                (ServeOptions options) => Serve(args, options, result, console, interruption),
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

    /// <summary><c>-h</c> is <c>--help</c> (CommandLineParser knows only the long form); after <c>--</c> it is a value.</summary>
    private static string[] WithLongHelp(string[] args)
    {
        var end = Array.IndexOf(args, "--");
        return [.. args.Select((arg, i) => arg == "-h" && (end < 0 || i < end) ? "--help" : arg)];
    }

    private static int Export(string[] args, ExportOptions options, ParserResult<object> result, ToolConsole console, Interruption? interruption)
    {
        if (MissingOptionValue.Find(args, typeof(ExportOptions)) is { } missing)
        {
            return Usage.ReportProblem(result, missing, console);
        }

        return ExportRequest.TryCreate(args, options, out var request, out var problem)
            ? new ExportRunner(console, interruption).Run(request)
            : Usage.ReportProblem(result, problem, console);
    }

    private static int List(string[] args, ListOptions options, ParserResult<object> result, ToolConsole console, Interruption? interruption)
    {
        var problem = MissingOptionValue.Find(args, typeof(ListOptions))
            ?? Unexpected(options.Unexpected, ListOptions.Name)
            ?? (options.Limit < 1 ? $"--limit must be 1 or more, not {options.Limit}." : null);
        var filter = problem is null ? FilterArguments.Read(args, options, DateTimeOffset.UtcNow, out problem) : null;
        if (filter is null || problem is not null)
        {
            return Usage.ReportProblem(result, problem ?? "the selection flags are not valid.", console);
        }

        return Working(console, () => new ListRunner(console, interruption)
            .Run(filter, options.Limit, options.Json, options.Follow, PriceTable.WithUserFile(options.Prices), options.Database));
    }

    private static int Show(string[] args, ShowOptions options, ParserResult<object> result, ToolConsole console)
    {
        var problem = MissingOptionValue.Find(args, typeof(ShowOptions))
            ?? Unexpected(options.Unexpected, ShowOptions.Name)
            ?? (string.IsNullOrWhiteSpace(options.Id) ? "ID is empty; give a record id or a prefix of one." : null);
        if (problem is not null)
        {
            return Usage.ReportProblem(result, problem, console);
        }

        return Working(console, () => new ShowRunner(console).Run(options.Id, options.Json, PriceTable.WithUserFile(options.Prices), options.Database));
    }

    private static int Models(string[] args, ModelsOptions options, ParserResult<object> result, ToolConsole console)
    {
        if (options.AllNamespaces && RepeatedOption.Given(args, "namespace", 'n'))
        {
            return Usage.ReportProblem(result, "--namespace and --all-namespaces contradict each other; give one.", console);
        }

        return Checked(args, options, options.Unexpected, result, console,
            () => new ContentsRunner(console).Models(options.AllNamespaces ? null : options.Namespace, options.Json, options.Database));
    }

    private static int Checked(string[] args, object options, IEnumerable<string> unexpected, ParserResult<object> result, ToolConsole console, Func<int> run)
    {
        var name = ((VerbAttribute)options.GetType().GetCustomAttributes(typeof(VerbAttribute), false)[0]).Name;
        var problem = MissingOptionValue.Find(args, options.GetType()) ?? Unexpected(unexpected, name);
        return problem is not null ? Usage.ReportProblem(result, problem, console) : Working(console, run);
    }

    internal static string? Unexpected(IEnumerable<string> unexpected, string verb) =>
        unexpected.FirstOrDefault() is { } extra ? $"unexpected argument '{extra}' for {verb}." : null;

    /// <summary>Runs a verb's work: an expected failure is one line and exit 1.</summary>
    private static int Working(ToolConsole console, Func<int> run)
    {
        try
        {
            return run();
        }
        catch (Exception exception) when (FailureMessage.Describe(exception) is { } message)
        {
            console.WriteError(message);
            return ExitCode.Failure;
        }
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

    private static int Search(string[] args, SearchOptions options, ParserResult<object> result, ToolConsole console)
    {
        if (MissingOptionValue.Find(args, typeof(SearchOptions)) is { } missing)
        {
            return Usage.ReportProblem(result, missing, console);
        }

        ExportFilter? filter = null;
        var problem = options.Unexpected.FirstOrDefault() is { } extra
            ? $"unexpected argument '{extra}'; search takes one QUERY (quote it for the shell)."
            : string.IsNullOrWhiteSpace(options.Query)
                ? "the query is empty; give a word to search for, as in: search refund."
                : options.Limit <= 0
                    ? $"--limit must be a positive number, not {options.Limit}."
                    : Selection(args, options, out filter);
        return problem is null
            ? new SearchRunner(console, OutputStyle.For(console)).Run(options.Database, options.Query, filter!, filter!.Kind, options.Limit, options.Json)
            : Usage.ReportProblem(result, problem, console);
    }

    private static int Stats(string[] args, StatsOptions options, ParserResult<object> result, ToolConsole console)
    {
        if (MissingOptionValue.Find(args, typeof(StatsOptions)) is { } missing)
        {
            return Usage.ReportProblem(result, missing, console);
        }

        ExportFilter? filter = null;
        var problem = options.Unexpected.FirstOrDefault() is { } extra
            ? $"unexpected argument '{extra}'; stats takes no arguments, only options."
            : !StatsGroupings.ByName.TryGetValue(options.By, out _)
                ? $"--by must be one of {string.Join(", ", StatsGroupings.ByName.Keys)}, not '{options.By}'."
                : options.Prices is { Length: 0 }
                    ? "--prices is empty; give a price table file."
                    : Selection(args, options, out filter);
        return problem is null
            ? new StatsRunner(console, OutputStyle.For(console)).Run(options.Database, filter!, filter!.Kind, StatsGroupings.ByName[options.By], options.Prices, options.Json)
            : Usage.ReportProblem(result, problem, console);
    }

    private static int Purge(string[] args, PurgeOptions options, ParserResult<object> result, ToolConsole console, Interruption? interruption) =>
        PurgeRequest.TryCreate(args, options, DateTimeOffset.UtcNow, console.InputIsTerminal, out var request, out var problem)
            ? new PurgeRunner(console, interruption).Run(request)
            : Usage.ReportProblem(result, problem, console);

    private static int Replay(string[] args, ReplayVerbOptions options, ParserResult<object> result, ToolConsole console, Interruption? interruption) =>
        ReplayRequest.TryCreate(args, options, Environment.GetEnvironmentVariable, out var request, out var filter, out var problem)
            ? new ReplayRunner(console, interruption).Run(options.Database, filter, request)
            : Usage.ReportProblem(result, problem, console);

    private static int Compare(string[] args, CompareOptions options, ParserResult<object> result, ToolConsole console)
    {
        if (MissingOptionValue.Find(args, typeof(CompareOptions)) is { } missing)
        {
            return Usage.ReportProblem(result, missing, console);
        }

        ExportFilter? filter = null;
        var problem = Unexpected(options.Unexpected, CompareOptions.Name)
            ?? (RepeatedOption.Given(args, "namespace", 'n') || options.AllNamespaces
                ? "compare takes its two namespaces as NS_A NS_B, not -n or --all-namespaces."
                : null)
            ?? (string.IsNullOrWhiteSpace(options.NamespaceA) || string.IsNullOrWhiteSpace(options.NamespaceB) ? "a namespace is empty; give two namespaces: compare NS_A NS_B." : null)
            ?? (options.NamespaceA == options.NamespaceB ? $"compare needs two different namespaces, not '{options.NamespaceA}' twice." : null)
            ?? (options.Prices is { Length: 0 } ? "--prices is empty; give a price table file." : null)
            ?? (options.Html is { Length: 0 } ? "--html is empty; give the HTML file to write, or - for standard output." : null)
            ?? (options.Html is not null && options.Json ? "--json and --html contradict each other; give one." : null)
            ?? Selection(args, options, out filter)
            ?? (filter!.Kind != Storage.PromptRecord.ChatKind ? "compare compares chat prompts only; drop --type text." : null);
        return problem is null
            ? new CompareRunner(console, OutputStyle.For(console)).Run(options.Database, filter! with { Namespace = options.NamespaceA }, options.NamespaceB, options.Prices, options.Json, options.Html)
            : Usage.ReportProblem(result, problem, console);
    }

    private static int Report(string[] args, ReportOptions options, ParserResult<object> result, ToolConsole console, Interruption? interruption)
    {
        ExportFilter? filter = null;
        var problem = MissingOptionValue.Find(args, typeof(ReportOptions))
            ?? Unexpected(options.Unexpected, ReportOptions.Name)
            ?? (string.IsNullOrWhiteSpace(options.Output) ? "OUTPUT is empty; give an HTML file path, or - for standard output." : null)
            ?? (options.Limit < 1 ? $"--limit must be 1 or more, not {options.Limit}." : null)
            ?? (options.Prices is { Length: 0 } ? "--prices is empty; give a price table file." : null)
            ?? Selection(args, options, out filter);
        return problem is null
            ? new ReportRunner(console, interruption).Run(options.Database, options.Output, filter!, options.Limit, options.Prices)
            : Usage.ReportProblem(result, problem, console);
    }

    private static int Serve(string[] args, ServeOptions options, ParserResult<object> result, ToolConsole console, Interruption? interruption)
    {
        var address = options.Host == "localhost" ? System.Net.IPAddress.Loopback : System.Net.IPAddress.TryParse(options.Host, out var parsed) ? parsed : null;
        var problem = MissingOptionValue.Find(args, typeof(ServeOptions))
            ?? Unexpected(options.Unexpected, ServeOptions.Name)
            ?? (options.Port is < 0 or > 65535 ? $"--port must be from 0 to 65535, not {options.Port}." : null)
            ?? (address is null ? $"--host '{options.Host}' is not an IP address; give one such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)." : null)
            ?? (options.Prices is { Length: 0 } ? "--prices is empty; give a price table file." : null);
        return problem is not null
            ? Usage.ReportProblem(result, problem, console)
            : Working(console, () => new Web.Server.ServeRunner(console, interruption).Run(options, address!));
    }

    // The shared filter of the selecting verbs; the problem, or null with the filter set.
    internal static string? Selection(string[] args, IFilterOptions options, out ExportFilter? filter)
    {
        filter = FilterArguments.Read(args, options, DateTimeOffset.UtcNow, out var problem);
        return problem;
    }

    // HelpWriter = null: CommandLineParser would write help to the console itself; Usage decides stdout or stderr.
    private static Parser CreateParser() => new(settings =>
    {
        settings.HelpWriter = null;
        settings.AutoHelp = true;
        settings.AutoVersion = true;
        settings.CaseSensitive = true;
        settings.MaximumDisplayWidth = 100;
        // Getopt habits: "--models=a,b", "--" before an OUTPUT that starts with a dash. Repeated -m and --tag are
        // collected by RepeatedOption; other repeated options: the last wins.
        settings.GetoptMode = true;
    });
}
