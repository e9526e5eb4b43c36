using CommandLine;
using PromptLogging.Tool.Verbs;

namespace PromptLogging.Tool;

/// <summary>The <c>prompt-logger</c> command: parses the command line and hands it to a verb.</summary>
internal static class Program
{
    /// <summary>The verbs, in the order help lists them.</summary>
    internal static readonly Type[] Verbs = [typeof(ExportOptions), typeof(ImportOptions)];

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
