using PromptLogging.Storage;

namespace PromptLogging.Export;

/// <summary>
/// Runs an export against a store through a read-only connection of its own (never creating a database or its tables), to a stream or to a file that
/// appears whole (written beside it, then moved into place) so that a failed export never leaves half a file.
/// </summary>
internal static class StoreExport
{
    public static int ToStream(PromptStore store, ExportKind kind, ExportFilter filter, Stream output)
    {
        using var connection = store.OpenForReading();
        store.EnsureReadable(connection);
        return kind switch
        {
            ExportKind.Models => JsonlExporter.ExportModels(connection, store, filter, output),
            ExportKind.ChatPrompts => JsonlExporter.ExportChatPrompts(connection, store, filter, output),
            ExportKind.TextPrompts => JsonlExporter.ExportTextPrompts(connection, store, filter, output),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown export kind."),
        };
    }

    /// <exception cref="ArgumentException">The output is the database itself, or a folder.</exception>
    /// <exception cref="DirectoryNotFoundException">The output's folder does not exist.</exception>
    public static int ToFile(PromptStore store, ExportKind kind, ExportFilter filter, string outputFile)
    {
        var target = CheckOutputPath(store, outputFile);
        var temporary = target + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            int count;
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                count = ToStream(store, kind, filter, stream);
            }

            File.Move(temporary, target, overwrite: true);
            return count;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static string CheckOutputPath(PromptStore store, string outputFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFile);
        var target = Path.GetFullPath(outputFile);
        if (store.OwnFiles.Contains(target, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The output '{outputFile}' is the database file itself; refusing to overwrite the stored prompts. Choose another output path.",
                nameof(outputFile));
        }

        if (Directory.Exists(target))
        {
            throw new ArgumentException($"The output '{outputFile}' is a folder; give a file path.", nameof(outputFile));
        }

        var folder = Path.GetDirectoryName(target);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The output folder does not exist: {folder}. Create it first, or choose another output path.");
        }

        return target;
    }
}
