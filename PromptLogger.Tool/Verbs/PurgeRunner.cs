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
            var kind = request.Filter.Kind;
            var preview = RecordPurge.Preview(connection, request.Filter);
            if (request.DryRun)
            {
                WriteGroups(preview);
                console.Error.WriteLine($"Would delete {Records(preview.Total.Records, kind)}{Models(preview.Total.Models)} from {store.DisplayName}; nothing was changed (--dry-run).");
                return ExitCode.Success;
            }

            if (preview.Total.Records == 0)
            {
                console.Error.WriteLine($"Deleted 0 records from {store.DisplayName}: nothing matches the selection.");
                return ExitCode.Success;
            }

            if (request.Confirm && !Confirmed(preview, kind, store))
            {
                console.Error.WriteLine("Nothing was deleted.");
                return ExitCode.Failure;
            }

            var sizeBefore = FileSize(store);
            PurgeResult result;
            using (var progress = TerminalProgress.For(console, "purging", "records"))
            {
                result = RecordPurge.Run(connection, store.Url.Kind, request.Filter,
                    progress: done =>
                    {
                        deleted = done;
                        progress?.Report((int)Math.Min(done, int.MaxValue));
                    },
                    cancellationToken: cancellationToken);
            }

            deleted = result.Records;
            console.Error.WriteLine($"Deleted {Records(result.Records, kind)}{Models(result.Models)} from {store.DisplayName}.");
            Reclaim(connection, store, sizeBefore);
            return ExitCode.Success;
        }
        catch (OperationCanceledException) when (interruption is { Signal: not null })
        {
            console.WriteError($"purge interrupted by {interruption.SignalName}; {Records(deleted, request.Filter.Kind)} deleted before it, each with its tags and search index entry. Run it again to delete the rest.");
            return interruption.ExitCode;
        }
        catch (Exception exception) when (Describe(exception, deleted, request.Filter.Kind) is { } message)
        {
            console.WriteError(message);
            return ExitCode.Failure;
        }
    }

    private void WriteGroups(PurgePreview preview)
    {
        foreach (var (ns, model, count) in preview.Groups)
        {
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{TerminalText.Escape(ns)}\t{TerminalText.Escape(model ?? "-")}\t{count}"));
        }
    }

    private bool Confirmed(PurgePreview preview, string kind, PromptStore store)
    {
        console.Error.Write($"Delete {Records(preview.Total.Records, kind)}{Models(preview.Total.Models)} from {store.DisplayName}? This cannot be undone. [y/N] ");
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

    private static string Records(long count, string kind) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {kind} record{(count == 1 ? string.Empty : "s")}");

    private static string Models(long count) => count switch
    {
        0 => string.Empty,
        1 => " and 1 model no record uses any more",
        _ => string.Create(CultureInfo.InvariantCulture, $" and {count:N0} models no record uses any more"),
    };

    private static string? Describe(Exception exception, long deleted, string kind)
    {
        var message = exception is DbException ? $"cannot purge the database: {exception.Message}" : FailureMessage.Describe(exception);
        return message is null || deleted == 0
            ? message
            : $"{message} ({Records(deleted, kind)} deleted before the failure, each with its tags and search index entry; the rest is intact. Run the purge again to finish.)";
    }
}
