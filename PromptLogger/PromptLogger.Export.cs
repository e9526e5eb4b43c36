using PromptLogging.Diagnostics;
using PromptLogging.Export;

namespace PromptLogging;

public sealed partial class PromptLogger
{
    /// <summary>Writes the models used in a namespace to a JSONL file, one per line.</summary>
    /// <param name="outputFile">
    /// The file to write. A regular file is replaced whole or left as it was (a symlink is written through to its
    /// target); a device or FIFO is written in place.
    /// </param>
    /// <param name="namespace">The namespace to export; default the logger's.</param>
    /// <param name="models">Only these model names; null, empty or <c>all</c> means every model.</param>
    /// <returns>How many models were written.</returns>
    /// <remarks><inheritdoc cref="ExportChatPrompts" path="/remarks"/></remarks>
    /// <exception cref="ArgumentException"><paramref name="outputFile"/> is empty, a folder, or the database (or one of its files) by whatever path.</exception>
    /// <exception cref="DirectoryNotFoundException">The output folder does not exist.</exception>
    /// <exception cref="IOException">The output cannot be written (a full disk, a closed pipe); a replaced file is left as it was.</exception>
    public int ExportModels(string outputFile, string? @namespace = null, IEnumerable<string>? models = null) =>
        ExportToFile(ExportKind.Models, outputFile, ExportFilter.Create(NamespaceOrOwn(@namespace), models));

    /// <summary>Writes the chat prompts of a namespace to a JSONL file in the shape the Python prompt-logger package exports, one per line.</summary>
    /// <param name="outputFile">
    /// The file to write. A regular file is replaced whole or left as it was (a symlink is written through to its
    /// target); a device or FIFO is written in place.
    /// </param>
    /// <param name="namespace">The namespace to export; default the logger's.</param>
    /// <param name="models">Only prompts to these models; null, empty or <c>all</c> means every model.</param>
    /// <param name="conversationId">Only the prompts of this conversation; null or empty for every conversation.</param>
    /// <param name="userId">Only the prompts made for this end user; null or empty for every user.</param>
    /// <param name="tags">Only the prompts carrying every one of these tags; null or empty for any.</param>
    /// <param name="format">
    /// The shape of the file: <see cref="ExportFormat.Jsonl"/> (the default) as described above; OpenAI fine-tuning
    /// examples, OpenAI Batch API requests (split into <c>out.2.jsonl</c>, … past the Batch API's limits), or CSV.
    /// </param>
    /// <returns>How many prompts were written (fine-tuning: examples, without the records left out for an error or no reply).</returns>
    /// <remarks>
    /// Flushes first, so everything recorded before the call is exported. The database file and its companions
    /// (<c>-wal</c>, <c>-shm</c>, spool files) are refused however the path reaches them (symlinked folder, hard
    /// link). A new file gets the database file's permission bits (owner-only as PromptLogger creates it); a replaced
    /// one keeps its own. Each record is exactly one line: a stored JSON value that is not valid JSON is left out of
    /// its line and reported as a warning.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="outputFile"/> is empty, a folder, or the database (or one of its files) by whatever path.</exception>
    /// <exception cref="DirectoryNotFoundException">The output folder does not exist.</exception>
    /// <exception cref="IOException">The output cannot be written (a full disk, a closed pipe); a replaced file is left as it was.</exception>
    public int ExportChatPrompts(
        string outputFile,
        string? @namespace = null,
        IEnumerable<string>? models = null,
        string? conversationId = null,
        string? userId = null,
        IEnumerable<string>? tags = null,
        ExportFormat format = ExportFormat.Jsonl) =>
        ExportToFile(ExportKind.ChatPrompts, outputFile, ExportFilter.Create(NamespaceOrOwn(@namespace), models, conversationId, userId, tags), format);

    /// <summary>Writes the text prompts (prompt and response) of a namespace to a JSONL file, one per line.</summary>
    /// <param name="outputFile">
    /// The file to write. A regular file is replaced whole or left as it was (a symlink is written through to its
    /// target); a device or FIFO is written in place.
    /// </param>
    /// <param name="namespace">The namespace to export; default the logger's.</param>
    /// <param name="models">Only prompts to these models; null, empty or <c>all</c> means every model.</param>
    /// <param name="conversationId">Only the prompts of this conversation; null or empty for every conversation.</param>
    /// <param name="userId">Only the prompts made for this end user; null or empty for every user.</param>
    /// <param name="tags">Only the prompts carrying every one of these tags; null or empty for any.</param>
    /// <returns>How many prompts were written.</returns>
    /// <remarks><inheritdoc cref="ExportChatPrompts" path="/remarks"/></remarks>
    /// <exception cref="ArgumentException"><paramref name="outputFile"/> is empty, a folder, or the database (or one of its files) by whatever path.</exception>
    /// <exception cref="DirectoryNotFoundException">The output folder does not exist.</exception>
    /// <exception cref="IOException">The output cannot be written (a full disk, a closed pipe); a replaced file is left as it was.</exception>
    public int ExportTextPrompts(
        string outputFile,
        string? @namespace = null,
        IEnumerable<string>? models = null,
        string? conversationId = null,
        string? userId = null,
        IEnumerable<string>? tags = null) =>
        ExportToFile(ExportKind.TextPrompts, outputFile, ExportFilter.Create(NamespaceOrOwn(@namespace), models, conversationId, userId, tags));

    private string NamespaceOrOwn(string? @namespace) => string.IsNullOrEmpty(@namespace) ? Namespace : @namespace;

    private int ExportToFile(ExportKind kind, string outputFile, ExportFilter filter, ExportFormat format = ExportFormat.Jsonl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFile);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Not an export format.");
        }

        Flush();
        var summary = StoreExport.WriteFile(_store, kind, filter, new Export.Formats.FormatOptions(format), outputFile, Prices, null, CancellationToken.None);
        if (summary.RejectedDescription is { } rejected)
        {
            Log.ExportLeftOutInvalidJson(_diagnostics, outputFile, rejected);
        }

        return summary.Count;
    }
}
