using Microsoft.Extensions.AI;
using PromptLogging.Export;
using PromptLogging.Replay;
using PromptLogging.Storage;

namespace PromptLogging;

public sealed partial class PromptLogger
{
    /// <summary>The most prompts a replay keeps in flight at once.</summary>
    internal const int MaxReplayConcurrency = 64;

    /// <summary>
    /// Sends recorded chat prompts again, through <paramref name="target"/> — another model, another provider — and
    /// records each answer in this logger's database under <see cref="ReplayOptions.Into"/>, with <c>replay_of</c> set to
    /// the id of the prompt it re-ran.
    /// </summary>
    /// <param name="selection">Which prompts, where to record the answers, which model to ask, how many at once.</param>
    /// <param name="target">
    /// The client to ask: any Microsoft.Extensions.AI <see cref="IChatClient"/> (OpenAI's <c>AsIChatClient()</c>, another
    /// provider's). Give it without PromptLogger in its pipeline: the replay records through the logger's own middleware.
    /// </param>
    /// <param name="cancellationToken">
    /// Stops the replay: no further prompt is sent; the calls in flight finish and are recorded (each is bounded by the
    /// client's own timeout), then an <see cref="OperationCanceledException"/> is thrown. Running the same replay again
    /// sends what is left.
    /// </param>
    /// <returns>How many prompts were replayed, failed or skipped, and which recorded parameters could not be sent.</returns>
    /// <remarks>
    /// <para>
    /// Each prompt is rebuilt from its record: its messages (tool calls and tool results included), its tools (as
    /// function declarations) and its generation parameters, mapped from their wire names onto <see cref="ChatOptions"/>
    /// (<c>max_tokens</c>/<c>max_completion_tokens</c>, <c>temperature</c>, <c>top_p</c>, <c>top_k</c>, penalties,
    /// <c>seed</c>, <c>stop</c>, <c>response_format</c>, <c>tool_choice</c>, <c>parallel_tool_calls</c>,
    /// <c>reasoning_effort</c>). A parameter with no <see cref="ChatOptions"/> counterpart is left out of the call and
    /// named once in <see cref="ReplaySummary.LeftOutParameters"/>. The answer is recorded as a live call through
    /// <see cref="ChatClients.PromptLoggingChatClient"/> is; a failed call is recorded with its error and counted, never
    /// retried here (retries belong to the client: the OpenAI SDK retries 429 and 5xx answers, honouring
    /// <c>Retry-After</c>).
    /// </para>
    /// <para>
    /// A prompt that <see cref="ReplayOptions.Into"/> holds a successful replay of already is skipped, so an
    /// interrupted replay resumes where it stopped. Prompts are sent oldest id first, text prompts never.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The options are invalid (the message says which): concurrency out of 1–64, a limit below 1, no model and no
    /// target namespace to name, a target namespace equal to the replayed one; or <paramref name="target"/> is recorded
    /// into this logger already.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The logger is disposed.</exception>
    /// <example>
    /// <code>
    /// IChatClient target = new OpenAI.Chat.ChatClient("gpt-4.1-mini", apiKey).AsIChatClient();
    /// ReplaySummary summary = await logger.ReplayAsync(new ReplayOptions { Model = "gpt-4.1-mini" }, target);
    /// // the answers are in namespace "default-replay-gpt-4.1-mini"; compare: prompt-logger compare default default-replay-gpt-4.1-mini
    /// </code>
    /// </example>
    public async Task<ReplaySummary> ReplayAsync(ReplayOptions selection, IChatClient target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(target);
        var @namespace = NamespaceOrOwn(selection.Namespace);
        var filter = ExportFilter.Create(@namespace, selection.Models, selection.ConversationId, selection.UserId, selection.Tags) with
        {
            Since = selection.Since,
            Until = selection.Until,
        };
        var model = string.IsNullOrWhiteSpace(selection.Model) ? DefaultModelOf(target) : selection.Model;
        var into = selection.Into ?? (model is null
            ? throw new ArgumentException("Name the model to ask (ReplayOptions.Model) or the namespace to record into (ReplayOptions.Into): the target client names no default model.", nameof(selection))
            : DefaultReplayNamespace(@namespace, model));
        var run = new ReplayRun(selection.Model, into, selection.Concurrency, selection.Limit);
        var (summary, _) = await RunReplayAsync(filter, target, run, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return summary;
    }

    /// <summary>
    /// The replay behind <see cref="ReplayAsync(ReplayOptions, IChatClient, CancellationToken)"/> and the command's,
    /// on any filter (every namespace, failed calls only): returns what it did, and whether it stopped early.
    /// </summary>
    internal Task<(ReplaySummary Summary, bool Stopped)> RunReplayAsync(ExportFilter filter, IChatClient target, ReplayRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(run);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (run.Concurrency is < 1 or > MaxReplayConcurrency)
        {
            throw new ArgumentOutOfRangeException(nameof(run), run.Concurrency, $"The concurrency must be 1 to {MaxReplayConcurrency}.");
        }

        if (run.Limit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(run), run.Limit, "The limit must be 1 or more.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(run.Into);
        if (filter.Namespace == run.Into)
        {
            throw new ArgumentException($"The answers must go to another namespace than the one replayed ('{run.Into}'): a rerun would replay the replays.", nameof(run));
        }

        if (RecordsInto(target))
        {
            throw new ArgumentException("The target client records into this logger already; give it without PromptLogger: the replay records each answer itself.", nameof(target));
        }

        return Replayer.RunAsync(this, new ReplaySelection(_store, filter with { Kind = PromptRecord.ChatKind }, run.Into), target, run, cancellationToken);
    }

    /// <summary>Where a replay of <paramref name="namespace"/> against <paramref name="model"/> is recorded unless told: <c>NS-replay-M</c>.</summary>
    internal static string DefaultReplayNamespace(string @namespace, string model) => $"{@namespace}-replay-{model}";

    private static string? DefaultModelOf(IChatClient target)
    {
        try
        {
            return (target.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId;
        }
#pragma warning disable CA1031 // A client whose GetService throws names no model; the caller is told to name one.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}
