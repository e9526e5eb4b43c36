using System.Data.Common;
using Microsoft.Data.Sqlite;
using PromptLogging.Storage;
using PromptLogging.Writing;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// Runs a checked <c>import</c>: every record of a spool file into an existing database, one transaction a batch,
/// a record already stored skipped (so importing a file twice stores each record once). Messages go to standard error.
/// </summary>
/// <remarks>
/// Not through <see cref="StoreSession"/>: it reopens (and creates) a database after a failure, which suits a
/// logger that must keep going but not a command that never creates a database and stops at the first failure.
/// </remarks>
internal sealed class ImportRunner(ToolConsole console)
{
    // As a logger's default batch: large enough that a big spool is quick, small enough to hold the lock briefly.
    internal const int BatchSize = 1_000;

    public int Run(ImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tally = new Tally();
        try
        {
            var spool = FindSpoolFile(request.SpoolFile);
            var store = PromptStore.Create(DatabaseUrl.Parse(request.Database));
            (store as SqliteStore)?.ThrowIfMissing();
            using (var progress = TerminalProgress.For(console, "importing", "records"))
            {
                Import(spool, store, tally, progress);
            }

            if (tally.Read == 0)
            {
                console.WriteError(NothingToImport(request.SpoolFile, tally));
                return ExitCode.Failure;
            }

            Report(request, store, tally);
            return request.Delete ? DeleteIfComplete(request.SpoolFile, spool, tally) : ExitCode.Success;
        }
        catch (Exception exception) when (Describe(exception, tally) is { } message)
        {
            console.WriteError(message);
            return ExitCode.Failure;
        }
    }

    private static string FindSpoolFile(string spoolFile)
    {
        var path = Path.GetFullPath(spoolFile);
        if (Directory.Exists(path))
        {
            throw new IOException($"the spool file is a folder: {path}");
        }

        return File.Exists(path) ? path : throw new FileNotFoundException($"spool file not found: {path}", path);
    }

    // How many records between two progress reports.
    private const int ProgressEvery = 10_000;

    private static void Import(string spool, PromptStore store, Tally tally, TerminalProgress? progress)
    {
        // Opened at the first record: a file with none leaves the database exactly as it was.
        DbConnection? connection = null;
        IBatchInserter? inserter = null;
        try
        {
            foreach (var batch in Spool.Read(spool, BatchSize, tally.Skip))
            {
                if (inserter is null)
                {
                    connection = store.OpenExistingForWriting();
                    inserter = store.CreateInserter(connection);
                }

                tally.Inserted += inserter.Insert(batch);
                var before = tally.Read;
                tally.Read += batch.Count;
                if (progress is not null && tally.Read / ProgressEvery > before / ProgressEvery)
                {
                    progress.Report((int)Math.Min(tally.Read, int.MaxValue));
                }
            }
        }
        finally
        {
            inserter?.Dispose();
            connection?.Dispose();
        }
    }

    private void Report(ImportRequest request, PromptStore store, Tally tally)
    {
        console.Error.WriteLine($"Imported {Records(tally.Inserted)} from {request.SpoolFile} into {store.DisplayName}");
        var already = tally.Read - tally.Inserted;
        if (already > 0)
        {
            console.Error.WriteLine($"{Records(already)} {(already == 1 ? "was" : "were")} already in the database.");
        }

        if (tally.Skipped > 0)
        {
            console.Error.WriteLine($"Skipped {Lines(tally.Skipped)} that {(tally.Skipped == 1 ? "is" : "are")} not spool records (the first is line {tally.FirstSkipped}).");
        }
    }

    private int DeleteIfComplete(string spoolFile, string spool, Tally tally)
    {
        if (tally.Skipped > 0)
        {
            // Those lines may be all that is left of some records: the user decides what to do with them.
            console.Error.WriteLine($"Kept {spoolFile}: {Lines(tally.Skipped)} of it could not be imported.");
            return ExitCode.Success;
        }

        File.Delete(spool);
        console.Error.WriteLine($"Deleted {spoolFile}");
        return ExitCode.Success;
    }

    private static string NothingToImport(string spoolFile, Tally tally) => tally.Skipped == 0
        ? $"no records to import from {spoolFile}: the file is empty."
        : $"no records to import from {spoolFile}: it has {Lines(tally.Skipped)} but no spool record " +
          "(a spool file holds one JSON record a line, as a logger writes them).";

    private static string? Describe(Exception exception, Tally tally)
    {
        var message = exception is DbException ? $"cannot write to the database: {exception.Message}" : FailureMessage.Describe(exception);
        return message is null || tally.Read == 0
            ? message
            // Batches before the failure are committed; the rest of the file is not. A second run finishes the job.
            : $"{message} ({Records(tally.Inserted)} stored before the failure; importing the file again is safe.)";
    }

    private static string Records(long count) => count == 1 ? "1 record" : $"{count} records";

    private static string Lines(long count) => count == 1 ? "1 line" : $"{count} lines";

    private sealed class Tally
    {
        public long Read { get; set; }

        public long Inserted { get; set; }

        public long Skipped { get; private set; }

        public long FirstSkipped { get; private set; }

        public void Skip(long line)
        {
            if (Skipped++ == 0)
            {
                FirstSkipped = line;
            }
        }
    }
}
