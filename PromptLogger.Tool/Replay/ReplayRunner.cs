using System.Globalization;
using PromptLogging.Export;
using PromptLogging.Replay;
using PromptLogging.Tool.Browsing;
using PromptLogging.Tool.Verbs;

namespace PromptLogging.Tool.Replay;

/// <summary>
/// Runs a checked <c>replay</c>: the library's replay through the OpenAI SDK, progress on a terminal's standard
/// error, one summary line at the end. The API key is read from the environment by the caller and goes only to the
/// SDK: it is redacted from whatever is stored or printed.
/// </summary>
internal sealed class ReplayRunner(ToolConsole console, Interruption? interruption)
{
    // A key shorter than this would be redacted out of ordinary words; such keys are test keys.
    private const int ShortestRedactedKey = 6;

    public int Run(string database, ExportFilter filter, ReplayRequest request)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(request);
        var redact = Redactor(request.ApiKey);
        try
        {
            // A missing database is an error here as for every verb: never an empty one created and replayed.
            using (ReadSession.Open(database))
            {
            }

            using var logger = new PromptLogger(new PromptLoggerOptions { Namespace = request.Into, Database = database, Redact = redact });
            var target = OpenAITarget.Create(request.Model, request.ApiKey, request.Endpoint);
            Exception? unreachable = null;
            using var progress = TerminalProgress.For(console, "replaying", "prompts");
            var run = new ReplayRun(request.Model, request.Into, request.Concurrency, request.Limit)
            {
                Progress = progress is null ? null : progress.Report,
                StopAfter = exception =>
                {
                    if (Unreachable.Cause(exception) is not { } cause)
                    {
                        return false;
                    }

                    Interlocked.CompareExchange(ref unreachable, cause, null);
                    return true;
                },
            };
            var token = interruption?.Observe() ?? CancellationToken.None;
            var (summary, stopped) = logger.RunReplayAsync(filter, target, run, token).GetAwaiter().GetResult();
            progress?.Dispose();
            return Report(filter, request, summary, stopped, unreachable, redact);
        }
        catch (Exception exception) when (FailureMessage.Describe(exception) is { } message)
        {
            console.WriteError(redact(message));
            return ExitCode.Failure;
        }
    }

    private int Report(ExportFilter filter, ReplayRequest request, ReplaySummary summary, bool stopped, Exception? unreachable, Func<string, string> redact)
    {
        var source = filter.Namespace is null ? "every namespace" : $"namespace '{filter.Namespace}'";
        if (summary.LeftOutParameters.Count > 0)
        {
            console.WriteWarning($"left out recorded generation parameters the target cannot take: {string.Join(", ", summary.LeftOutParameters)}.");
        }

        if (summary.Unreadable > 0)
        {
            console.WriteWarning(Invariant($"{summary.Unreadable} prompts were not sent: their stored messages are not readable."));
        }

        var done = Invariant($"{summary.Replayed} replayed, {summary.Failed} failed, {summary.AlreadyReplayed} replayed before");
        if (unreachable is not null)
        {
            console.WriteError(redact($"cannot reach {request.Endpoint?.ToString() ?? "the OpenAI API"}: {unreachable.Message}; stopped ({done}; what was replayed is stored in '{summary.Into}'). Run the same command again to continue."));
            return ExitCode.Failure;
        }

        if (stopped && interruption?.Signal is not null)
        {
            console.WriteError($"replay interrupted by {interruption.SignalName}: {done}; what was replayed is stored in '{summary.Into}'. Run the same command again to replay the rest.");
            return interruption.ExitCode;
        }

        if (summary.ToReplay == 0)
        {
            console.Error.WriteLine(summary.AlreadyReplayed == 0
                ? $"No chat prompts in {source} match; nothing to replay."
                : Invariant($"All {summary.AlreadyReplayed} selected prompts are replayed in '{summary.Into}' already; nothing to send."));
            return ExitCode.Success;
        }

        console.Error.WriteLine($"Replayed prompts of {source} against {request.Model} into '{summary.Into}': {done}.");
        if (summary.Failed > 0)
        {
            console.WriteError(Invariant($"{summary.Failed} calls failed (stored with their error in '{summary.Into}'); run the same command again to retry them."));
            return ExitCode.Failure;
        }

        return ExitCode.Success;
    }

    private static Func<string, string> Redactor(string key) =>
        key.Length < ShortestRedactedKey ? static text => text : text => text.Replace(key, "***", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
