using System.Text;
using System.Text.Json;
using PromptLogging.Json;
using PromptLogging.Storage;

namespace PromptLogging.Writing;

/// <summary>
/// Where records go while the database cannot take them: JSONL files named <c>PATH.spool-*.jsonl</c>, where PATH
/// is the SQLite file (so they sit beside it) or, for a server database, a path in a local folder of its own (see
/// <see cref="Storage.PostgresStore.SpoolRoot"/>); one <see cref="PromptRecord"/> a line (snake_case fields). They are replayed
/// into the database as soon as it takes writes again, by this process or the next logger that opens it.
/// </summary>
/// <remarks>
/// Each process appends to a file of its own, so concurrent processes never interleave lines; a replaying
/// process first renames a file to claim it. Replays are idempotent (a record already in the database is
/// skipped), so a file replayed twice — after a crash mid-replay, or by two processes — stores each record once.
/// </remarks>
internal sealed class Spool
{
    private static readonly JsonSerializerOptions SpoolJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = JsonDefaults.Writer.Encoder,
    };

    private readonly string _databasePath;
    private readonly string _ownFile;

    public Spool(string databasePath)
    {
        _databasePath = databasePath;
        _ownFile = $"{databasePath}.spool-{Environment.ProcessId}-{Guid.NewGuid():N}.jsonl";
    }

    /// <summary>The file this process appends to.</summary>
    public string OwnFile => _ownFile;

    /// <summary>Whether any spool file of this database is waiting to be replayed.</summary>
    public bool HasPending => PendingFiles().Length > 0;

    /// <summary>Appends <paramref name="records"/> and forces them to disk.</summary>
    public void Append(IReadOnlyList<PromptRecord> records)
    {
        var folder = Path.GetDirectoryName(_ownFile);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                // Spooled prompts are as confidential as the database: a folder made for them is the owner's only.
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.Append(JsonSerializer.Serialize(record, SpoolJson)).Append('\n');
        }

        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(_ownFile, options);
        stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Replays every pending spool file through <paramref name="insert"/> in batches of <paramref name="batchSize"/>,
    /// deleting each file once all its records are stored. Returns how many records were replayed.
    /// </summary>
    /// <remarks>If <paramref name="insert"/> throws, the claimed file is put back for a later replay.</remarks>
    public int Replay(Action<IReadOnlyList<PromptRecord>> insert, int batchSize)
    {
        var replayed = 0;
        foreach (var file in PendingFiles())
        {
            // Still a spool file by name: if this process dies mid-replay, the next logger replays it again.
            var claimed = $"{_databasePath}.spool-replaying-{Guid.NewGuid():N}.jsonl";
            try
            {
                File.Move(file, claimed);
            }
            catch (IOException)
            {
                continue; // another process claimed it first
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            try
            {
                replayed += ReplayFile(claimed, insert, batchSize);
                File.Delete(claimed);
            }
            catch
            {
                File.Move(claimed, file, overwrite: false);
                throw;
            }
        }

        return replayed;
    }

    /// <summary>Reads a spool file (or a file of the same shape) in batches.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="batchSize">The most records a batch holds.</param>
    /// <param name="skipped">
    /// Told the number (from 1) of each line that is not a record: cut short, not JSON, or lacking an id, a namespace
    /// or a kind of chat or text. Blank lines are not counted.
    /// </param>
    public static IEnumerable<IReadOnlyList<PromptRecord>> Read(string path, int batchSize, Action<long>? skipped = null)
    {
        var batch = new List<PromptRecord>(batchSize);
        var number = 0L;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            // A line cut short by a crash mid-append, or not a record at all: the records around it are still good.
            if (Parse(line) is not { } record)
            {
                skipped?.Invoke(number);
                continue;
            }

            batch.Add(record);
            if (batch.Count == batchSize)
            {
                yield return batch;
                batch = new List<PromptRecord>(batchSize);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static PromptRecord? Parse(string line)
    {
        PromptRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<PromptRecord>(line, SpoolJson);
        }
        catch (JsonException)
        {
            return null;
        }

        // Storing a row without these would fail the whole batch (NOT NULL), or store a prompt no export finds.
        return record is { Id.Length: > 0, Namespace.Length: > 0, Kind: PromptRecord.ChatKind or PromptRecord.TextKind }
            ? record
            : null;
    }

    private static int ReplayFile(string path, Action<IReadOnlyList<PromptRecord>> insert, int batchSize)
    {
        var count = 0;
        foreach (var batch in Read(path, batchSize))
        {
            insert(batch);
            count += batch.Count;
        }

        return count;
    }

    private string[] PendingFiles()
    {
        var folder = Path.GetDirectoryName(_databasePath);
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            return [];
        }

        return Directory.GetFiles(folder, Path.GetFileName(_databasePath) + ".spool-*.jsonl");
    }
}
