using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace PromptLogging.Import;

/// <summary>
/// Tells what an import source is from its first bytes: a SQLite file (the header <c>SQLite format 3\0</c>) holding
/// the Python package's tables, or a file of JSON lines whose first object is a spool record (it has a <c>kind</c>)
/// or a line of the seed's export format (<see cref="SeedLine.Classify"/>).
/// </summary>
internal static class ImportSource
{
    /// <summary>What import reads, for the message about a file that is none of it.</summary>
    public const string Expected =
        "a spool file (one PromptLogger record a line, as a logger writes them), JSONL in the seed's export format " +
        "(prompts or models, from export or the Python prompt-logger), or a SQLite database written by the Python prompt-logger";

    // How many non-blank lines are looked at for a first record before the file is taken for something else.
    private const int LinesLookedAt = 100;

    private static ReadOnlySpan<byte> SqliteHeader => "SQLite format 3\0"u8;

    /// <summary>What <paramref name="path"/> holds; null when it holds nothing (empty, or only blank lines).</summary>
    /// <param name="path">The file.</param>
    /// <param name="name">How messages name it.</param>
    /// <exception cref="ImportSourceException">It is none of what import reads; the message says what it is and what was expected.</exception>
    public static ImportSourceKind? Detect(string path, string name)
    {
        if (StartsWithSqliteHeader(path))
        {
            return DetectDatabase(path, name);
        }

        var lines = 0;
        foreach (var (_, line) in ByteLines.Read(path))
        {
            if (ByteLines.IsBlank(line))
            {
                continue;
            }

            if (KindOfLine(line) is { } kind)
            {
                return kind;
            }

            if (++lines == LinesLookedAt)
            {
                break;
            }
        }

        return lines == 0 ? null : throw new ImportSourceException($"{name} is none of what import reads: {Expected}.");
    }

    private static bool StartsWithSqliteHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> header = stackalloc byte[16];
        return stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header.SequenceEqual(SqliteHeader);
    }

    private static ImportSourceKind? KindOfLine(byte[] line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String)
            {
                return ImportSourceKind.Spool;
            }

            return SeedLine.Classify(root) is null ? null : ImportSourceKind.SeedJsonl;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null; // not UTF-8
        }
    }

    private static ImportSourceKind DetectDatabase(string path, string name)
    {
        if (CutShort(path) is { } shortBy)
        {
            throw new ImportSourceException($"{name} is cut short: {shortBy}. Nothing was imported; import a whole copy of the database.");
        }

        HashSet<string> tables;
        HashSet<string> promptColumns;
        try
        {
            using var connection = PythonDatabaseReader.OpenReadOnly(path);
            tables = PythonDatabaseReader.Tables(connection);
            promptColumns = tables.Contains("prompts") ? PythonDatabaseReader.Columns(connection, "prompts") : [];
            if (promptColumns.Contains("model_id") || tables.Contains("text_completions"))
            {
                // A damaged page can read back as rows that are not there, or as fewer: a prompt would be stored
                // without some of its messages. So the whole file is checked before anything of it is taken.
                var check = QuickCheck(connection);
                if (check != "ok")
                {
                    throw new ImportSourceException($"{name} is damaged (SQLite's quick_check: {check}). Nothing was imported; import a whole copy of the database.");
                }
            }
        }
        catch (SqliteException exception)
        {
            throw new ImportSourceException($"{name} cannot be read as a SQLite database: {exception.Message}", exception);
        }

        if (promptColumns.Contains("model_id") || (tables.Contains("text_completions") && !promptColumns.Contains("kind")))
        {
            return ImportSourceKind.PythonDatabase;
        }

        throw new ImportSourceException(promptColumns.Contains("kind")
            ? $"{name} is a PromptLogger database, which import does not read: export its records (export prompts, export models) and import those files."
            : $"{name} is a SQLite database without the Python prompt-logger's tables (prompts, text_completions); import reads {Expected}.");
    }

    /// <summary>
    /// Why a SQLite file is shorter than its header says (a copy or download cut short), or null. Not when a
    /// write-ahead log is beside it: the newest pages are there, and the header may be ahead of the file.
    /// </summary>
    private static string? CutShort(string path)
    {
        if (File.Exists(path + "-wal"))
        {
            return null;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> header = stackalloc byte[100];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            return $"it has {stream.Length} bytes, fewer than a SQLite header";
        }

        var pageSize = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(header[16..]) is var size && size == 1 ? 65536L : size;
        var pages = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header[28..]);
        var sizeIsValid = pages > 0 && header.Slice(24, 4).SequenceEqual(header.Slice(92, 4));
        if (pageSize < 512 || stream.Length % pageSize != 0)
        {
            return $"its {stream.Length} bytes are not a whole number of its {pageSize}-byte pages";
        }

        return sizeIsValid && stream.Length < pages * pageSize
            ? $"its header says {pages} pages of {pageSize} bytes, the file holds {stream.Length / pageSize}"
            : null;
    }

    private static string QuickCheck(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check(1)";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "no answer";
    }
}
