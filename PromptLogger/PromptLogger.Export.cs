using PromptLogging.Export;

namespace PromptLogging;

public sealed partial class PromptLogger
{
    /// <summary>Writes the models used in a namespace to a JSONL file, one per line.</summary>
    /// <param name="outputFile">The file to write; replaced if it exists. It appears whole or not at all.</param>
    /// <param name="namespace">The namespace to export; default the logger's.</param>
    /// <param name="models">Only these model names; null, empty or <c>all</c> means every model.</param>
    /// <returns>How many models were written.</returns>
    /// <remarks>Flushes first, so everything recorded before the call is exported.</remarks>
    /// <exception cref="ArgumentException"><paramref name="outputFile"/> is empty, a folder, or the database itself.</exception>
    /// <exception cref="DirectoryNotFoundException">The output folder does not exist.</exception>
    public int ExportModels(string outputFile, string? @namespace = null, IEnumerable<string>? models = null) =>
        ExportToFile(ExportKind.Models, outputFile, @namespace, models);

    /// <summary>Writes the chat prompts of a namespace to a JSONL file in the seed's shape, one per line.</summary>
    /// <param name="outputFile">The file to write; replaced if it exists. It appears whole or not at all.</param>
    /// <param name="namespace">The namespace to export; default the logger's.</param>
    /// <param name="models">Only prompts to these models; null, empty or <c>all</c> means every model.</param>
    /// <returns>How many prompts were written.</returns>
    /// <remarks>Flushes first, so everything recorded before the call is exported.</remarks>
    /// <exception cref="ArgumentException"><paramref name="outputFile"/> is empty, a folder, or the database itself.</exception>
    /// <exception cref="DirectoryNotFoundException">The output folder does not exist.</exception>
    public int ExportChatPrompts(string outputFile, string? @namespace = null, IEnumerable<string>? models = null) =>
        ExportToFile(ExportKind.ChatPrompts, outputFile, @namespace, models);

    /// <summary>Writes the text prompts (prompt and response) of a namespace to a JSONL file, one per line.</summary>
    /// <param name="outputFile">The file to write; replaced if it exists. It appears whole or not at all.</param>
    /// <param name="namespace">The namespace to export; default the logger's.</param>
    /// <param name="models">Only prompts to these models; null, empty or <c>all</c> means every model.</param>
    /// <returns>How many prompts were written.</returns>
    /// <remarks>Flushes first, so everything recorded before the call is exported.</remarks>
    /// <exception cref="ArgumentException"><paramref name="outputFile"/> is empty, a folder, or the database itself.</exception>
    /// <exception cref="DirectoryNotFoundException">The output folder does not exist.</exception>
    public int ExportTextPrompts(string outputFile, string? @namespace = null, IEnumerable<string>? models = null) =>
        ExportToFile(ExportKind.TextPrompts, outputFile, @namespace, models);

    private int ExportToFile(ExportKind kind, string outputFile, string? @namespace, IEnumerable<string>? models)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFile);
        var filter = ExportFilter.Create(string.IsNullOrEmpty(@namespace) ? Namespace : @namespace, models);
        Flush();
        return StoreExport.ToFile(_store, kind, filter, outputFile);
    }
}
