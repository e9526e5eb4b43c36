using System.Data.Common;
using System.Globalization;
using PromptLogging.Retention;
using PromptLogging.Storage;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// Runs a checked <c>purge</c>: says what the selection holds, asks on a terminal unless <c>--yes</c>, deletes it in
/// batches of one transaction each (<see cref="RecordPurge"/>), then reclaims the space (<see cref="SpaceReclaim"/>).
/// What would be deleted (<c>--dry-run</c>) is printed on standard output, one line per namespace and model; messages
/// go to standard error.
/// </summary>
internal sealed class PurgeRunner(ToolConsole console, Interruption? interruption = null)
{
    // A purge may wait for a search index catch-up and run a VACUUM of a large table: no command timeout of a logger's.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromDays(1);

    public int Run(PurgeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cancellationToken = interruption?.Observe() ?? CancellationToken.None;
        long deleted = 0;
        try
        {
            var store = PromptStore.Create(DatabaseUrl.Parse(request.Database), commandTimeout: CommandTimeout);
            (store as SqliteStore)?.ThrowIfMissing();
            using var connection = store.OpenExistingForWriting();
            var kinds = request.Kinds;
            // The preview fixes the upper key bound: the purge deletes what it counted (and the user confirmed), never
            // a record a logger stores after it.
            var preview = RecordPurge.Preview(connection, store.Url.Kind, request.Filter, kinds);
            if (request.DryRun)
            {
                WriteGroups(preview);
                console.Error.WriteLine($"Would delete {Records(preview, kinds)}{Models(preview.Total.Models)} from {store.DisplayName}; nothing was changed (--dry-run).");
                return ExitCode.Success;
            }

            if (preview.Total.Records == 0)
            {
                console.Error.WriteLine($"Deleted 0 records from {store.DisplayName}: nothing matches the selection.");
                return ExitCode.Success;
            }

            if (request.Confirm && !Confirmed(preview, kinds, store))
            {
                console.Error.WriteLine("Nothing was deleted.");
                return ExitCode.Failure;
            }

            var sizeBefore = FileSize(store);
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            long models = 0;
            using (var progress = TerminalProgress.For(console, "purging", "records"))
            {
                foreach (var kind in kinds)
                {
                    var before = deleted;
                    var result = RecordPurge.Run(connection, store.Url.Kind, request.Filter with { Kind = kind },
                        progress: done =>
                        {
                            deleted = before + done;
                            progress?.Report((int)Math.Min(deleted, int.MaxValue));
                        },
                        last: preview.Last,
                        atMost: preview.CountOf(kind),
                        cancellationToken: cancellationToken);
                    deleted = before + result.Records;
                    counts[kind] = result.Records;
                    models += result.Models;
                }
            }

            console.Error.WriteLine($"Deleted {Records(counts, kinds)}{Models(models)} from {store.DisplayName}.");
            Reclaim(connection, store, sizeBefore);
            return ExitCode.Success;
        }
        catch (OperationCanceledException) when (interruption is { Signal: not null })
        {
            console.WriteError($"purge interrupted by {interruption.SignalName}; {Records(deleted)} deleted before it, each with its tags and search index entry. Run it again to delete the rest.");
            return interruption.ExitCode;
        }
        catch (Exception exception) when (Describe(exception, deleted) is { } message)
        {
            console.WriteError(message);
            return ExitCode.Failure;
        }
    }

    private void WriteGroups(PurgePreview preview)
    {
        foreach (var (ns, kind, model, count) in preview.Groups)
        {
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{TerminalText.Escape(ns)}\t{kind}\t{TerminalText.Escape(model ?? "-")}\t{count}"));
        }
    }

    private bool Confirmed(PurgePreview preview, IReadOnlyList<string> kinds, PromptStore store)
    {
        console.Error.Write($"Delete {Records(preview, kinds)}{Models(preview.Total.Models)} from {store.DisplayName}? This cannot be undone. [y/N] ");
        console.Error.Flush();
        var answer = console.Input.ReadLine()?.Trim();
        return string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Gives the space back; the records are deleted either way, so a failure here is a warning.</summary>
    private void Reclaim(DbConnection connection, PromptStore store, long? sizeBefore)
    {
        try
        {
            var how = SpaceReclaim.Run(connection, store.Url.Kind);
            var sizeAfter = FileSize(store);
            console.Error.WriteLine(sizeBefore is { } before && sizeAfter is { } after
                ? $"Reclaimed the space ({how}): {Size(before)} → {Size(after)}."
                : $"Reclaimed the space ({how}).");
        }
        catch (Exception exception) when (exception is DbException or IOException)
        {
            console.WriteWarning($"the records are deleted, but the space could not be reclaimed ({exception.Message}); " +
                                 "it is reused by new records. Run the purge again later to retry.");
        }
    }

    /// <summary>A SQLite database's size on disk with its write-ahead log; null for a server.</summary>
    private static long? FileSize(PromptStore store) => store is SqliteStore sqlite
        ? Length(sqlite.FilePath) + Length(sqlite.FilePath + "-wal")
        : null;

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.0} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB");

    private static string Records(long count, string? kind = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(kind is null ? string.Empty : kind + " ")}record{(count == 1 ? string.Empty : "s")}");

    private static string Records(PurgePreview preview, IReadOnlyList<string> kinds) =>
        Records(kinds.ToDictionary(k => k, preview.CountOf, StringComparer.Ordinal), kinds);

    /// <summary>"3 text records" for one kind (<c>--type</c>); "12 records (10 chat, 2 text)" for both.</summary>
    private static string Records(Dictionary<string, long> counts, IReadOnlyList<string> kinds) => kinds.Count == 1
        ? Records(counts.GetValueOrDefault(kinds[0]), kinds[0])
        : Records(counts.Values.Sum()) + " (" + string.Join(", ", kinds.Select(k =>
            string.Create(CultureInfo.InvariantCulture, $"{counts.GetValueOrDefault(k):N0} {k}"))) + ")";

    private static string Models(long count) => count switch
    {
        0 => string.Empty,
        1 => " and 1 model no record uses any more",
        _ => string.Create(CultureInfo.InvariantCulture, $" and {count:N0} models no record uses any more"),
    };

    private static string? Describe(Exception exception, long deleted)
    {
        var message = exception is DbException ? $"cannot purge the database: {exception.Message}" : FailureMessage.Describe(exception);
        return message is null || deleted == 0
            ? message
            : $"{message} ({Records(deleted)} deleted before the failure, each with its tags and search index entry; the rest is intact. Run the purge again to finish.)";
    }
}
