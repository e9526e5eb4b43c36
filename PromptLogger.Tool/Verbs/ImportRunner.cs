using System.Data.Common;
using PromptLogging.Import;
using PromptLogging.Storage;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// Runs a checked <c>import</c>: finds what the source is (<see cref="ImportSource"/>) and says so, then stores its
/// records into an existing database, one transaction a batch, a record already stored skipped (so importing a source
/// twice stores each record once). What is not a record is skipped and counted. Messages go to standard error.
/// </summary>
/// <remarks>
/// Not through <see cref="StoreSession"/>: it reopens (and creates) a database after a failure, which suits a
/// logger that must keep going but not a command that never creates a database and stops at the first failure.
/// </remarks>
internal sealed class ImportRunner(ToolConsole console)
{
    // As a logger's default batch: large enough that a big import is quick, small enough to hold the lock briefly.
    internal const int BatchSize = 1_000;

    // How many records between two progress reports.
    private const int ProgressEvery = 10_000;

    public int Run(ImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tally = new Tally();
        try
        {
            var path = FindSource(request.Source);
            var store = PromptStore.Create(DatabaseUrl.Parse(request.Database));
            (store as SqliteStore)?.ThrowIfMissing();
            if (ImportSource.Detect(path, request.Source) is not { } kind)
            {
                console.WriteError($"no records to import from {request.Source}: the file is empty.");
                return ExitCode.Failure;
            }

            if (kind == ImportSourceKind.PythonDatabase && request.Delete)
            {
                console.WriteError($"--delete deletes spool and JSONL files, never a database: {request.Source} is one. (see {ToolConsole.CommandName} import --help)");
                return ExitCode.Usage;
            }

            console.Error.WriteLine($"Reading {request.Source} as {ImportReaders.Describe(kind)}");
            string? damage;
            using (var reader = ImportReaders.Open(path, kind, request.Namespace))
            using (var progress = TerminalProgress.For(console, "importing", "records"))
            {
                damage = Import(reader, store, tally, progress);
            }

            if (damage is not null)
            {
                Report(request, store, tally, kind);
                console.WriteError($"stopped reading {request.Source}: {damage}. What was read before is stored; the rest is not.");
                return ExitCode.Failure;
            }

            if (tally.Read == 0 && tally.ModelsRead == 0)
            {
                console.WriteError(NothingToImport(request.Source, tally, kind));
                return ExitCode.Failure;
            }

            Report(request, store, tally, kind);
            return request.Delete ? DeleteIfComplete(request.Source, path, tally) : ExitCode.Success;
        }
        catch (Exception exception) when (Describe(exception, tally) is { } message)
        {
            console.WriteError(message);
            return ExitCode.Failure;
        }
    }

    private static string FindSource(string source)
    {
        var path = Path.GetFullPath(source);
        if (Directory.Exists(path))
        {
            throw new IOException($"SOURCE is a folder: {path}");
        }

        return File.Exists(path) ? path : throw new FileNotFoundException($"file not found: {path}", path);
    }

    /// <summary>Stores everything <paramref name="reader"/> yields; returns why the source could not be read to its end, or null.</summary>
    private static string? Import(IImportReader reader, PromptStore store, Tally tally, TerminalProgress? progress)
    {
        // Opened at the first record: a source with none leaves the database exactly as it was.
        DbConnection? connection = null;
        IBatchInserter? inserter = null;
        var prompts = new List<PromptRecord>(BatchSize);
        var models = new List<ModelRecord>();
        string? damage = null;
        try
        {
            using var items = reader.Read(tally.Skip).GetEnumerator();
            while (true)
            {
                try
                {
                    if (!items.MoveNext())
                    {
                        break;
                    }
                }
                catch (ImportSourceException exception)
                {
                    // Every record yielded so far is whole: they are stored below, the rest of the source is not.
                    damage = exception.Message;
                    break;
                }

                if (items.Current.Prompt is { } prompt)
                {
                    prompts.Add(prompt);
                }
                else if (items.Current.Model is { } model)
                {
                    models.Add(model);
                }

                if (prompts.Count + models.Count >= BatchSize)
                {
                    Store();
                }
            }

            Store();
        }
        finally
        {
            inserter?.Dispose();
            connection?.Dispose();
        }

        return damage;

        void Store()
        {
            if (prompts.Count + models.Count == 0)
            {
                return;
            }

            if (inserter is null)
            {
                connection = store.OpenExistingForWriting();
                inserter = store.CreateInserter(connection);
            }

            // Models first: a prompt of a model not yet stored would register it under a new id.
            tally.ModelsInserted += ModelWriter.Insert(connection!, models);
            tally.ModelsRead += models.Count;
            models.Clear();
            if (prompts.Count > 0)
            {
                tally.Inserted += inserter.Insert(prompts);
                var before = tally.Read;
                tally.Read += prompts.Count;
                prompts = new List<PromptRecord>(BatchSize);
                if (progress is not null && tally.Read / ProgressEvery > before / ProgressEvery)
                {
                    progress.Report((int)Math.Min(tally.Read, int.MaxValue));
                }
            }
        }
    }

    private void Report(ImportRequest request, PromptStore store, Tally tally, ImportSourceKind kind)
    {
        var models = tally.ModelsRead > 0 ? $" and {Count(tally.ModelsInserted, "model")}" : string.Empty;
        console.Error.WriteLine($"Imported {Records(tally.Inserted)}{models} from {request.Source} into {store.DisplayName}");
        var already = tally.Read - tally.Inserted;
        if (already > 0)
        {
            console.Error.WriteLine($"{Records(already)} {(already == 1 ? "was" : "were")} already in the database.");
        }

        var modelsAlready = tally.ModelsRead - tally.ModelsInserted;
        if (modelsAlready > 0)
        {
            console.Error.WriteLine($"{Count(modelsAlready, "model")} {(modelsAlready == 1 ? "was" : "were")} already in the database (the same id, or the same name in the namespace).");
        }

        if (tally.Skipped > 0)
        {
            console.Error.WriteLine(Skipped(tally, kind));
        }
    }

    private static string Skipped(Tally tally, ImportSourceKind kind)
    {
        var first = tally.FirstSkipped;
        var why = first.Why is null ? string.Empty : ": " + TerminalText.Escape(first.Why);
        var one = tally.Skipped == 1;
        return kind switch
        {
            ImportSourceKind.Spool when first.Why is null =>
                $"Skipped {Lines(tally.Skipped)} that {(one ? "is" : "are")} not spool records (the first is {first.Where}).",
            ImportSourceKind.Spool or ImportSourceKind.SeedJsonl =>
                $"Skipped {Lines(tally.Skipped)} that {(one ? "is not a record" : "are not records")} (the first is {first.Where}{why}).",
            _ => $"Skipped {Count(tally.Skipped, "row")} that could not be read as records (the first is {TerminalText.Escape(first.Where)}{why}).",
        };
    }

    private int DeleteIfComplete(string source, string path, Tally tally)
    {
        if (tally.Skipped > 0)
        {
            // Those lines may be all that is left of some records: the user decides what to do with them.
            console.Error.WriteLine($"Kept {source}: {Lines(tally.Skipped)} of it could not be imported.");
            return ExitCode.Success;
        }

        File.Delete(path);
        console.Error.WriteLine($"Deleted {source}");
        return ExitCode.Success;
    }

    private static string NothingToImport(string source, Tally tally, ImportSourceKind kind) => kind switch
    {
        ImportSourceKind.PythonDatabase when tally.Skipped == 0 => $"no records to import from {source}: the database holds none.",
        ImportSourceKind.PythonDatabase => $"no records to import from {source}: none of its {Count(tally.Skipped, "row")} could be read as a record.",
        ImportSourceKind.Spool => $"no records to import from {source}: it has {Lines(tally.Skipped)} but no spool record " +
            "(a spool file holds one JSON record a line, as a logger writes them).",
        _ => $"no records to import from {source}: it has {Lines(tally.Skipped)} but none is a record of the seed's export format.",
    };

    private static string? Describe(Exception exception, Tally tally)
    {
        var message = exception switch
        {
            DbException => $"cannot write to the database: {exception.Message}",
            ImportSourceException => exception.Message,
            _ => FailureMessage.Describe(exception),
        };
        return message is null || tally.Read == 0
            ? message
            // Batches before the failure are committed; the rest of the file is not. A second run finishes the job.
            : $"{message} ({Records(tally.Inserted)} stored before the failure; importing the file again is safe.)";
    }

    private static string Records(long count) => Count(count, "record");

    private static string Lines(long count) => Count(count, "line");

    private static string Count(long count, string what) => count == 1 ? $"1 {what}" : $"{count} {what}s";

    private sealed class Tally
    {
        public long Read { get; set; }

        public long Inserted { get; set; }

        public long ModelsRead { get; set; }

        public long ModelsInserted { get; set; }

        public long Skipped { get; private set; }

        public ImportSkip FirstSkipped { get; private set; }

        public void Skip(ImportSkip skip)
        {
            if (Skipped++ == 0)
            {
                FirstSkipped = skip;
            }
        }
    }
}
