using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using PromptLogging.ChatClients;
using PromptLogging.Interception;

namespace PromptLogging.Replay;

/// <summary>
/// Sends the selected prompts again through a target <see cref="IChatClient"/> wrapped in the logger's own middleware,
/// so each answer is recorded exactly as a live call through it is, with <c>replay_of</c> set by a scope around the
/// call. Bounded concurrency; a stop (the token, or <see cref="ReplayRun.StopAfter"/>) sends nothing further and lets
/// the calls in flight finish, so every record it leaves is complete.
/// </summary>
internal static class Replayer
{
    /// <summary>Runs the replay; returns what it did and whether it stopped before the end.</summary>
    public static async Task<(ReplaySummary Summary, bool Stopped)> RunAsync(
        PromptLogger logger,
        ReplaySelection selection,
        IChatClient target,
        ReplayRun run,
        CancellationToken cancellationToken)
    {
        var recording = new PromptLoggingChatClient(target, logger) { Namespace = run.Into };
        var (selected, alreadyReplayed) = selection.Count();
        var toReplay = selected - alreadyReplayed;
        var total = run.Limit is { } limit ? Math.Min(limit, toReplay) : toReplay;
        var skip = selection.ReplayedIds();
        var leftOut = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        int replayed = 0, failed = 0, unreadable = 0, done = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Nothing is passed the token but the source: a call in flight is never cut off half-way (its record would
        // be a failure of our making); it ends by itself, bounded by the client's own timeout.
        await Parallel.ForEachAsync(Pending(selection, skip, total, stop), new ParallelOptions { MaxDegreeOfParallelism = run.Concurrency }, async (row, _) =>
        {
            var request = RecordedRequest.Read(row, run.Model, name => leftOut.TryAdd(name, 0));
            if (request is null)
            {
                Interlocked.Increment(ref unreadable);
            }
            else
            {
                using (logger.BeginContext(new CallContext { ReplayOf = row.Id }))
                {
                    try
                    {
                        await recording.GetResponseAsync(request.Messages, request.Options, CancellationToken.None).ConfigureAwait(false);
                        Interlocked.Increment(ref replayed);
                    }
#pragma warning disable CA1031 // Any failure of the target is the outcome of this prompt: recorded by the middleware, counted here.
                    catch (Exception exception)
#pragma warning restore CA1031
                    {
                        Interlocked.Increment(ref failed);
                        if (run.StopAfter?.Invoke(exception) == true)
                        {
                            await stop.CancelAsync().ConfigureAwait(false);
                        }
                    }
                }
            }

            run.Progress?.Invoke(Interlocked.Increment(ref done), total);
        }).ConfigureAwait(false);

        await logger.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        var summary = new ReplaySummary(run.Into, toReplay, alreadyReplayed, replayed, failed, unreadable, [.. leftOut.Keys.Order(StringComparer.Ordinal)]);
        return (summary, stop.IsCancellationRequested);
    }

    // The prompts still to send, as the workers ask for them (one at a time: Parallel.ForEachAsync takes them under a
    // lock): nothing more once stopped or at the limit.
    private static IEnumerable<ReplayRow> Pending(ReplaySelection selection, HashSet<string> skip, int total, CancellationTokenSource stop)
    {
        var given = 0;
        foreach (var row in selection.Rows())
        {
            if (given >= total || stop.IsCancellationRequested)
            {
                yield break;
            }

            if (skip.Contains(row.Id))
            {
                continue;
            }

            given++;
            yield return row;
        }
    }
}
