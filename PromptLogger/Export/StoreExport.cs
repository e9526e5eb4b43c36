using System.Data.Common;
using PromptLogging.Export.Formats;
using PromptLogging.Files;
using PromptLogging.Pricing;
using PromptLogging.Storage;

namespace PromptLogging.Export;

/// <summary>
/// Runs an export against a store through a read-only connection of its own (never creating a database or its
/// tables), to a stream or to an output path (<see cref="ExportDestination"/>): a regular file appears whole or not
/// at all; a device or FIFO is written in place; the database itself is refused however the path reaches it.
/// </summary>
internal static class StoreExport
{
    private const UnixFileMode ReadWriteBits =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    public static ExportSummary ToStream(PromptStore store, ExportKind kind, ExportFilter filter, Stream output, CancellationToken cancellationToken = default) =>
        ToStream(store, kind, filter, output, null, null, cancellationToken);

    /// <summary>
    /// Exports to a stream; <paramref name="prices"/> for <c>estimated_cost_usd</c> (null: the built-in table);
    /// <paramref name="progress"/> told the count of prompts written now and then.
    /// </summary>
    public static ExportSummary ToStream(PromptStore store, ExportKind kind, ExportFilter filter, Stream output, PriceTable? prices, IProgress<int>? progress, CancellationToken cancellationToken) =>
        ToStream(store, kind, filter, FormatOptions.Seed, output, prices, progress, cancellationToken);

    /// <summary>As <see cref="ToStream(PromptStore, ExportKind, ExportFilter, Stream, PriceTable?, IProgress{int}?, CancellationToken)"/>, in <paramref name="format"/> (one stream: a batch is not split).</summary>
    public static ExportSummary ToStream(
        PromptStore store, ExportKind kind, ExportFilter filter, FormatOptions format, Stream output, PriceTable? prices, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(format);
        using var connection = OpenChecked(store);
        return Run(connection, store, kind, filter, format with { BatchLimits = BatchLimits.None }, _ => output, prices, progress, cancellationToken);
    }

    /// <summary>As <see cref="WriteFile(PromptStore, ExportKind, ExportFilter, string, PriceTable?, IProgress{int}?, CancellationToken)"/>, returning the count only.</summary>
    public static int ToFile(PromptStore store, ExportKind kind, ExportFilter filter, string outputFile) =>
        WriteFile(store, kind, filter, outputFile, CancellationToken.None).Count;

    /// <exception cref="ArgumentException">The output is the database (or one of its files), or a folder.</exception>
    /// <exception cref="DirectoryNotFoundException">The output's folder does not exist.</exception>
    /// <exception cref="IOException">The output cannot be written (<c>cannot write 'OUT': no space left on device</c>).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; a file being replaced is left as it was.</exception>
    public static ExportSummary WriteFile(PromptStore store, ExportKind kind, ExportFilter filter, string outputFile, CancellationToken cancellationToken) =>
        WriteFile(store, kind, filter, outputFile, null, null, cancellationToken);

    /// <summary>As <see cref="WriteFile(PromptStore, ExportKind, ExportFilter, string, CancellationToken)"/>, with these prices (null: built-in).</summary>
    public static ExportSummary WriteFile(PromptStore store, ExportKind kind, ExportFilter filter, string outputFile, PriceTable? prices, IProgress<int>? progress, CancellationToken cancellationToken) =>
        WriteFile(store, kind, filter, FormatOptions.Seed, outputFile, prices, progress, cancellationToken);

    /// <summary>
    /// As <see cref="WriteFile(PromptStore, ExportKind, ExportFilter, string, PriceTable?, IProgress{int}?, CancellationToken)"/>,
    /// in <paramref name="format"/>; a batch to a regular file is split into parts (<see cref="ExportParts"/>), all
    /// replaced together once every line is written.
    /// </summary>
    public static ExportSummary WriteFile(
        PromptStore store, ExportKind kind, ExportFilter filter, FormatOptions format, string outputFile, PriceTable? prices, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(format);
        var destination = ExportDestination.Resolve(store, outputFile);
        var mode = NewFileMode(store);
        // The output first: a name the file system refuses fails before the database is opened (which may create
        // its -wal and -shm); a temporary file is removed if the database then cannot be read.
        using var output = Writing(outputFile, () => destination.Open(mode));
        using var parts = new ExportParts(store, outputFile, output, mode);
        using var connection = OpenChecked(store);
        var split = format.Format == ExportFormat.OpenAIBatch && !destination.InPlace;
        return Writing(outputFile, () =>
        {
            var summary = Run(connection, store, kind, filter, split ? format : format with { BatchLimits = BatchLimits.None }, parts.Open, prices, progress, cancellationToken);
            parts.Commit();
            if (!split)
            {
                return summary;
            }

            var next = ExportParts.PartPath(outputFile, parts.Count + 1);
            return summary with { Files = parts.Count > 1 ? parts.Paths : [], StalePart = File.Exists(next) ? next : null };
        });
    }

    /// <summary>Runs a step that writes the output, naming the output in its failure.</summary>
    private static T Writing<T>(string outputFile, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (IOException exception) when (exception is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"cannot write '{outputFile}': {Reason(exception)}", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new UnauthorizedAccessException($"cannot write '{outputFile}': {exception.Message}", exception);
        }
    }

    /// <summary>Runs the export; <paramref name="openPart"/> gives the output (part 1), and a split batch's later parts.</summary>
    private static ExportSummary Run(
        DbConnection connection, PromptStore store, ExportKind kind, ExportFilter filter, FormatOptions format, Func<int, Stream> openPart, PriceTable? prices, IProgress<int>? progress, CancellationToken cancellationToken) =>
        (kind, format.Format) switch
        {
            (ExportKind.Models, ExportFormat.Jsonl) => JsonlExporter.ExportModels(connection, store, filter, openPart(1), cancellationToken),
            (ExportKind.ChatPrompts, ExportFormat.Jsonl) => JsonlExporter.ExportChatPrompts(connection, store, filter, openPart(1), prices ?? PriceTable.BuiltIn, progress, cancellationToken),
            (ExportKind.TextPrompts, ExportFormat.Jsonl) => JsonlExporter.ExportTextPrompts(connection, store, filter, openPart(1), progress, cancellationToken),
            (ExportKind.ChatPrompts, ExportFormat.OpenAIFineTuning) => FineTuningWriter.Write(connection, store, filter, openPart(1), format.Dedupe, progress, cancellationToken),
            (ExportKind.ChatPrompts, ExportFormat.OpenAIBatch) => BatchWriter.Write(connection, store, filter, openPart, format.BatchLimits, progress, cancellationToken),
            (ExportKind.ChatPrompts, ExportFormat.Csv) => CsvPromptWriter.Write(connection, store, filter, PromptRecord.ChatKind, openPart(1), prices ?? PriceTable.BuiltIn, progress, cancellationToken),
            (ExportKind.TextPrompts, ExportFormat.Csv) => CsvPromptWriter.Write(connection, store, filter, PromptRecord.TextKind, openPart(1), null, progress, cancellationToken),
            _ => throw new ArgumentException($"The {ExportFormatNames.NameOf(format.Format)} format does not export {kind}.", nameof(format)),
        };

    private static DbConnection OpenChecked(PromptStore store)
    {
        var connection = store.OpenForReading();
        try
        {
            store.EnsureReadable(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new export holds the same prompts as the database, so it gets the database file's permission bits
    /// (owner-only as PromptLogger creates it); from a server, owner-only.
    /// </summary>
    private static UnixFileMode NewFileMode(PromptStore store)
    {
        if (OperatingSystem.IsWindows() || store is not SqliteStore sqlite)
        {
            return OwnerOnlyFile.Mode;
        }

        try
        {
            var bits = File.GetUnixFileMode(sqlite.FilePath) & ReadWriteBits;
            return bits == 0 ? OwnerOnlyFile.Mode : bits | UnixFileMode.UserWrite;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // No database to read the bits of: opening it says so next.
            return OwnerOnlyFile.Mode;
        }
    }

    private static string Reason(IOException exception) => IsDiskFull(exception)
        ? "no space left on device. Free some space, or choose another output."
        : exception.Message;

    // .NET on Unix gives an IOException the errno as HResult; Windows gives ERROR_DISK_FULL or ERROR_HANDLE_DISK_FULL.
    private static bool IsDiskFull(IOException exception) => OperatingSystem.IsWindows()
        ? (exception.HResult & 0xFFFF) is 112 or 39
        : exception.HResult == 28 /* ENOSPC */;
}
