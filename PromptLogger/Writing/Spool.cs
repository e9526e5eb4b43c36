using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PromptLogging.Diagnostics;
using PromptLogging.Files;
using PromptLogging.Json;
using PromptLogging.Storage;

namespace PromptLogging.Writing;

/// <summary>
/// Where records go while the database cannot take them: JSONL files named <c>PATH.spool-*.jsonl</c>, where PATH
/// is the SQLite file (so they sit beside it) or, for a server database, a path in a per-user folder of its own (see
/// <see cref="Storage.PostgresStore.SpoolRoot"/>); one <see cref="PromptRecord"/> a line (snake_case fields). They are replayed
/// into the database as soon as it takes writes again, by this process or the next logger of this user that opens it.
/// </summary>
/// <remarks>
/// <para>
/// Each process appends to a file of its own, so concurrent processes never interleave lines; a replaying
/// process first renames a file to claim it. Replays are idempotent (a record already in the database is
/// skipped), so a file replayed twice — after a crash mid-replay, or by two processes — stores each record once.
/// </para>
/// <para>
/// Trust: the folder must be this user's alone (<see cref="SpoolFolder"/>); a spool file is created exclusively
/// (never through an existing name or link) and reopened only after checking, on the open handle, that it is the
/// plain file of this user that was there; only such files are replayed, others are reported and left alone.
/// </para>
/// <para>
/// Atomicity: <see cref="Append"/> stores a whole batch or nothing. A write cut short (a full disk) is truncated
/// back before the exception leaves, and a partial last line left by a crash is cut away before the next append,
/// so a line is never glued to the next record. Every JSON column read back is validated and re-encoded
/// (<see cref="JsonColumn"/>): a line whose <c>messages</c> hides a second record is refused, not stored as two.
/// </para>
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
    private readonly SpoolFolder _folder;
    private readonly ILogger _logger;
    private readonly HashSet<string> _reported = [];

    /// <summary>A spool for the database whose spool files are named after <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The store's <see cref="PromptStore.SpoolPath"/>.</param>
    /// <param name="logger">Told once about each folder or file that is not trusted.</param>
    public Spool(string databasePath, ILogger? logger = null)
    {
        _databasePath = Path.GetFullPath(databasePath);
        _ownFile = $"{_databasePath}.spool-{Environment.ProcessId}-{Guid.NewGuid():N}.jsonl";
        _folder = SpoolFolder.For(_databasePath);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The file this process appends to.</summary>
    public string OwnFile => _ownFile;

    /// <summary>Whether any spool file of this database that this user wrote is waiting to be replayed.</summary>
    public bool HasPending => PendingFiles().Length > 0;

    /// <summary>
    /// Appends <paramref name="records"/> and forces them to disk: on return all of them are durable; on an exception
    /// none of them is in the file, which is left as it was.
    /// </summary>
    /// <exception cref="UnsafeSpoolException">The folder or the file could be changed by another user: nothing was written.</exception>
    /// <exception cref="IOException">The disk is full, read-only or failing: nothing of the batch was kept.</exception>
    public void Append(IReadOnlyList<PromptRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        _folder.EnsureUsable();

        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.Append(JsonSerializer.Serialize(record, SpoolJson)).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        using var stream = OpenOwnFile();
        var length = WholeLinesLength(stream);
        try
        {
            if (length != stream.Length)
            {
                stream.SetLength(length);
            }

            stream.Position = length;
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            // A write cut short (ENOSPC midway) left part of the batch: take it back, so that the batch is either
            // all there or not at all, and the next append starts on a fresh line.
            TryTruncate(stream, length);
            throw;
        }
    }

    /// <summary>
    /// Replays every pending spool file this user wrote through <paramref name="insert"/> in batches of
    /// <paramref name="batchSize"/>, deleting each file once all its records are stored. Returns how many records
    /// were replayed. Files of another user, links and files others may write are reported and left alone.
    /// </summary>
    /// <remarks>If <paramref name="insert"/> throws, the claimed file is put back for a later replay.</remarks>
    public int Replay(Action<IReadOnlyList<PromptRecord>> insert, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(insert);
        var replayed = 0;
        foreach (var file in PendingFiles())
        {
            // Claimed under an exclusive lock, held until the file is gone: a logger appending to it (it holds the same
            // lock while it writes) makes the claim fail, and one that opens it after the claim finds it renamed and
            // starts a new file, so no record is written into a file that is being replayed and then deleted.
            FileStream locked;
            try
            {
                locked = OpenVerified(file, FileAccess.Read);
            }
            catch (UnsafeSpoolException exception)
            {
                Report(file, exception.Message); // swapped since it was listed: not ours to replay, nor to delete
                continue;
            }
            catch (IOException)
            {
                continue; // being appended to, or claimed by another process first
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            using (locked)
            {
                // Still a spool file by name: if this process dies mid-replay, the next logger replays it again.
                var claimed = $"{_databasePath}.spool-replaying-{Guid.NewGuid():N}.jsonl";
                try
                {
                    File.Move(file, claimed);
                }
                catch (IOException)
                {
                    continue;
                }
                catch (UnauthorizedAccessException)
                {
                    continue;
                }

                try
                {
                    replayed += ReplayFile(locked, insert, batchSize);
                    File.Delete(claimed);
                }
                catch
                {
                    File.Move(claimed, file, overwrite: false);
                    throw;
                }
            }
        }

        return replayed;
    }

    /// <summary>Reads a spool file (or a file of the same shape) in batches.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="batchSize">The most records a batch holds.</param>
    /// <param name="skipped">
    /// Told the number (from 1) of each line that is not a record: cut short, not JSON, lacking an id, a namespace
    /// or a kind of chat or text, or with a JSON column that is not one JSON value of its kind. Blank lines are not
    /// counted.
    /// </param>
    public static IEnumerable<IReadOnlyList<PromptRecord>> Read(string path, int batchSize, Action<long>? skipped = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        foreach (var batch in Read(stream, batchSize, skipped))
        {
            yield return batch;
        }
    }

    private static IEnumerable<IReadOnlyList<PromptRecord>> Read(Stream stream, int batchSize, Action<long>? skipped)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var batch = new List<PromptRecord>(batchSize);
        var number = 0L;
        while (reader.ReadLine() is { } line)
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

    /// <summary>One spool line as a record; null when it is not one (see <see cref="Read(string, int, Action{long}?)"/>).</summary>
    internal static PromptRecord? Parse(string line)
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
            ? WithCheckedJson(record)
            : null;
    }

    /// <summary>
    /// The record with each JSON column re-encoded compactly; null when one is not a single JSON value of its kind
    /// (the whole record is refused: storing it would let its text be written raw into an export line).
    /// </summary>
    private static PromptRecord? WithCheckedJson(PromptRecord record)
    {
        foreach (var column in PromptColumns.All)
        {
            if (column.Type != ColumnType.Json)
            {
                continue;
            }

            if (!JsonColumn.TryNormalize(column.GetJson!(record), column.JsonKind, out var normalized))
            {
                return null;
            }

            column.SetJson!(record, normalized);
        }

        return record;
    }

    private static int ReplayFile(FileStream stream, Action<IReadOnlyList<PromptRecord>> insert, int batchSize)
    {
        var count = 0;
        foreach (var batch in Read(stream, batchSize, skipped: null))
        {
            insert(batch);
            count += batch.Count;
        }

        return count;
    }

    /// <summary>
    /// Opens this process's file for appending: created exclusively when missing (an existing name or link there
    /// fails the open), else checked and opened, and proven on the handle to be the file checked.
    /// </summary>
    private FileStream OpenOwnFile()
    {
        if (!File.Exists(_ownFile) && new FileInfo(_ownFile).LinkTarget is null)
        {
            try
            {
                var created = OwnerOnlyFile.CreateNew(_ownFile, FileAccess.ReadWrite);
                return StillAt(created, _ownFile);
            }
            catch (IOException exception) when (File.Exists(_ownFile) || new FileInfo(_ownFile).LinkTarget is not null)
            {
                throw new UnsafeSpoolException($"PromptLogger will not spool records to {_ownFile}: something else appeared there as it was created.", exception);
            }
        }

        return OpenVerified(_ownFile, FileAccess.ReadWrite);
    }

    /// <summary>
    /// <paramref name="stream"/>, locked, once proven to be still the file at <paramref name="path"/>: a replay in
    /// another process may have claimed (renamed) it between the open and the lock, and records written then would go
    /// to a file about to be deleted.
    /// </summary>
    private static FileStream StillAt(FileStream stream, string path)
    {
        if (UnixFileStatus.IsSupported
            && (!UnixFileStatus.TryLstat(path, out var now) || !now.IsSameFile(UnixFileStatus.Fstat(stream.SafeFileHandle, path))))
        {
            stream.Dispose();
            throw new IOException($"the spool file {path} was claimed by a replay as it was opened; records will be appended to a new one");
        }

        return stream;
    }

    /// <summary>
    /// Opens an existing spool file, locked exclusively, only if it is a plain file of this user, and the very file
    /// checked (and still there once locked).
    /// </summary>
    private static FileStream OpenVerified(string path, FileAccess access)
    {
        if (!UnixFileStatus.IsSupported)
        {
            if (SpoolFolder.FileProblem(path) is { } problem)
            {
                throw new UnsafeSpoolException($"PromptLogger will not use the spool file {path}: {problem}.");
            }

            return new FileStream(path, FileMode.Open, access, FileShare.None, bufferSize: 0);
        }

        if (!UnixFileStatus.TryLstat(path, out var before))
        {
            throw new FileNotFoundException($"spool file not found: {path}", path);
        }

        if (SpoolFolder.FileProblem(path, before) is { } problemBefore)
        {
            throw new UnsafeSpoolException($"PromptLogger will not use the spool file {path}: {problemBefore}.");
        }

        // Mode Open never creates; the handle's own status proves no link or other file was swapped in meanwhile.
        var stream = new FileStream(path, FileMode.Open, access, FileShare.None, bufferSize: 0);
        try
        {
            var opened = UnixFileStatus.Fstat(stream.SafeFileHandle, path);
            if (!opened.IsSameFile(before) || SpoolFolder.FileProblem(path, opened) is not null)
            {
                throw new UnsafeSpoolException($"PromptLogger will not use the spool file {path}: it was replaced while it was being opened.");
            }

            return StillAt(stream, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The length of the file up to and including its last line break: what a crash mid-append left whole.</summary>
    private static long WholeLinesLength(FileStream stream)
    {
        var end = stream.Length;
        if (end == 0)
        {
            return 0;
        }

        // The usual case: the file ends with a whole line.
        stream.Position = end - 1;
        if (stream.ReadByte() == '\n')
        {
            return end;
        }

        var buffer = new byte[4096];
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            var count = (int)(end - start);
            stream.Position = start;
            stream.ReadExactly(buffer, 0, count);
            var newline = buffer.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                return start + newline + 1;
            }

            end = start;
        }

        return 0;
    }

    private static void TryTruncate(FileStream stream, long length)
    {
        try
        {
            stream.SetLength(length);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // The next append cuts the partial line away before it writes.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>This database's spool files that this user wrote; others are reported once and left alone.</summary>
    private string[] PendingFiles()
    {
        if (!_folder.Exists)
        {
            return [];
        }

        if (_folder.Problem() is { } problem)
        {
            Report(_folder.Path, problem);
            return [];
        }

        var trusted = new List<string>();
        foreach (var file in Directory.GetFiles(_folder.Path, Path.GetFileName(_databasePath) + ".spool-*.jsonl"))
        {
            if (SpoolFolder.FileProblem(file) is { } fileProblem)
            {
                Report(file, fileProblem);
                continue;
            }

            trusted.Add(file);
        }

        return [.. trusted];
    }

    private void Report(string path, string problem)
    {
        lock (_reported)
        {
            if (!_reported.Add(path))
            {
                return;
            }
        }

        if (path == _folder.Path)
        {
            Log.SpoolFolderUnusable(_logger, problem);
        }
        else
        {
            Log.SpoolFileIgnored(_logger, path, problem);
        }
    }
}
