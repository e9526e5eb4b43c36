using PromptLogging.Files;
using PromptLogging.Storage;

namespace PromptLogging.Export;

/// <summary>
/// Where an export's lines go, decided before anything is written, by what the output path reaches rather than how
/// it is spelled: the database and its companion files (<c>-wal</c>, <c>-shm</c>, <c>-journal</c>, spool files) are
/// refused however they are reached (a symlinked folder, a hard link, a relative path); an existing device, FIFO or
/// socket is written in place (a socket is connected to), never renamed over; a regular file, new or existing, is replaced whole, and a symlink
/// to one is written through to its final target (the link stays a link).
/// </summary>
internal sealed class ExportDestination
{
    // NAME_MAX of ext4, XFS, btrfs, tmpfs and APFS; checked first, as the temporary file's own name is kept shorter.
    private const int MaxNameBytes = 255;

    // Links followed by hand before the kernel gives up (ELOOP): Linux's limit.
    private const int MaxLinks = 40;

    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF; // rwxrwxrwx, without setuid, setgid and sticky
    private const uint OthersWrite = 0x2;

    private ExportDestination(string path, bool inPlace, bool append, UnixFileMode? existingMode, FileKind kind = FileKind.Regular)
    {
        Kind = kind;
        Path = path;
        InPlace = inPlace;
        Append = append;
        ExistingMode = existingMode;
    }

    /// <summary>The file written: the output itself when in place, otherwise the file to replace.</summary>
    public string Path { get; }

    /// <summary>Written where it is (device, FIFO, socket, or a file reached through <c>/dev</c> or <c>/proc</c>).</summary>
    public bool InPlace { get; }

    private bool Append { get; }

    private FileKind Kind { get; }

    /// <summary>The permission bits of the regular file being replaced, kept; null for a new file.</summary>
    private UnixFileMode? ExistingMode { get; }

    /// <summary>Checks <paramref name="outputFile"/> against the store's files and decides how to write it.</summary>
    /// <exception cref="ArgumentException">The output is the database (or one of its files), or a folder.</exception>
    /// <exception cref="DirectoryNotFoundException">The output's folder does not exist.</exception>
    public static ExportDestination Resolve(PromptStore store, string outputFile)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFile);
        var full = System.IO.Path.GetFullPath(outputFile);
        var existing = FileIdentity.Of(full);
        if (existing is not null)
        {
            foreach (var own in ExistingOwnFiles(store))
            {
                if (FileIdentity.Of(own) is { } identity && identity.IsSameFileAs(existing))
                {
                    throw DatabaseItself(outputFile, own);
                }
            }

            if (existing.Kind == FileKind.Directory)
            {
                throw new ArgumentException($"The output '{outputFile}' is a folder; give a file path.", nameof(outputFile));
            }

            if (!existing.IsRegular)
            {
                return new ExportDestination(full, inPlace: true, append: false, existingMode: null, existing.Kind);
            }

            if (IsUnderSpecialFolder(full))
            {
                return new ExportDestination(full, inPlace: true, append: true, existingMode: null);
            }
        }

        // A new or regular file: replaced where the links lead, so that a link stays a link.
        var target = FileIdentity.IsSymbolicLink(full) ? FinalTarget(full, outputFile) : full;
        var folder = System.IO.Path.GetDirectoryName(target);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The output folder does not exist: {folder}. Create it first, or choose another output path.");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(System.IO.Path.GetFileName(target)) > MaxNameBytes)
        {
            throw new PathTooLongException(
                $"The output file name is longer than the {MaxNameBytes} bytes a file system allows: {outputFile}. Choose a shorter name.");
        }

        RefuseOwnName(store, target, outputFile);
        // The read/write/execute bits only: a set-user-ID, set-group-ID or sticky bit of the file replaced is not carried
        // over to a file of this user (root's, say) that holds exported text.
        UnixFileMode? mode = existing is not null && !OperatingSystem.IsWindows() ? File.GetUnixFileMode(target) & PermissionBits : null;
        return new ExportDestination(target, inPlace: false, append: false, existingMode: mode);
    }

    /// <summary>
    /// Refuses standard output when it is one of the store's files (<c>export … - &gt;&gt; prompts.db</c>): the lines
    /// would be appended to the database. Read through <c>/dev/stdout</c>, the open descriptor's own file.
    /// </summary>
    /// <exception cref="InvalidOperationException">Standard output is the database (or one of its files).</exception>
    public static void RefuseStandardOutputIfOwnFile(PromptStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (OperatingSystem.IsWindows() || FileIdentity.Of("/dev/stdout") is not { IsRegular: true } standardOutput)
        {
            return;
        }

        foreach (var own in ExistingOwnFiles(store))
        {
            if (FileIdentity.Of(own) is { } identity && identity.IsSameFileAs(standardOutput))
            {
                throw new InvalidOperationException(
                    $"Standard output is the database file itself ({own}); refusing to write the export into the stored prompts. Redirect it to another file.");
            }
        }
    }

    /// <summary>Opens the output; a new file gets <paramref name="newFileMode"/>, a replaced one keeps its bits.</summary>
    public ExportOutput Open(UnixFileMode newFileMode) =>
        !InPlace ? new ReplacementFile(Path, ExistingMode ?? newFileMode)
        : Kind == FileKind.Socket ? new SocketOutput(Path)
        : new InPlaceOutput(Path, Append);

    /// <summary>The database's files (and the spool files beside it) that exist now.</summary>
    private static IEnumerable<string> ExistingOwnFiles(PromptStore store)
    {
        foreach (var path in OwnPaths(store))
        {
            yield return path;
        }

        var spoolFolder = System.IO.Path.GetDirectoryName(store.SpoolPath);
        if (string.IsNullOrEmpty(spoolFolder) || !Directory.Exists(spoolFolder))
        {
            yield break;
        }

        IEnumerable<string> spools;
        try
        {
            spools = Directory.EnumerateFiles(spoolFolder, SpoolPrefix(store) + "*").ToList();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var spool in spools)
        {
            yield return spool;
        }
    }

    private static IEnumerable<string> OwnPaths(PromptStore store) =>
        store is SqliteStore sqlite ? [.. store.OwnFiles, sqlite.FilePath + "-journal"] : store.OwnFiles;

    private static string SpoolPrefix(PromptStore store) => System.IO.Path.GetFileName(store.SpoolPath) + ".spool-";

    /// <summary>
    /// Refuses a new file named as one of the database's files in the database's folder (reached by any path): a
    /// <c>-wal</c> that does not exist yet would be taken for the database's log when it is next opened.
    /// </summary>
    private static void RefuseOwnName(PromptStore store, string target, string outputFile)
    {
        var name = System.IO.Path.GetFileName(target);
        var folder = FileIdentity.Of(System.IO.Path.GetDirectoryName(target) ?? ".");
        if (folder is null)
        {
            return;
        }

        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        foreach (var own in OwnPaths(store))
        {
            if (string.Equals(System.IO.Path.GetFileName(own), name, comparison) && IsFolderOf(folder, own))
            {
                throw DatabaseItself(outputFile, own);
            }
        }

        if (name.StartsWith(SpoolPrefix(store), comparison) && IsFolderOf(folder, store.SpoolPath))
        {
            throw DatabaseItself(outputFile, store.SpoolPath + ".spool-*");
        }
    }

    private static bool IsFolderOf(FileIdentity folder, string path) =>
        System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { Length: > 0 } parent &&
        FileIdentity.Of(parent) is { } identity && identity.IsSameFileAs(folder);

    private static ArgumentException DatabaseItself(string outputFile, string own) => new(
        $"The output '{outputFile}' is the database file itself ({own}); refusing to overwrite the stored prompts. Choose another output path.",
        nameof(outputFile));

    /// <summary>
    /// The file a chain of links ends at, followed link by link so that each is checked as the kernel checks a link it
    /// follows under <c>fs.protected_symlinks</c>: a link in a sticky, world-writable folder (<c>/tmp</c>) that neither
    /// this user nor the folder's owner made is not followed. The export resolves the link itself to replace its
    /// target by a rename, which the kernel's own check never sees; without this, another user's
    /// <c>/tmp/report.jsonl -&gt; /etc/shadow</c> would have root replace <c>/etc/shadow</c>.
    /// </summary>
    private static string FinalTarget(string link, string outputFile)
    {
        var current = link;
        for (var followed = 0; followed < MaxLinks; followed++)
        {
            var next = new FileInfo(current).LinkTarget;
            if (next is null)
            {
                return current;
            }

            RefuseLinkOfAnotherUser(current, outputFile);
            current = System.IO.Path.GetFullPath(next, System.IO.Path.GetDirectoryName(current) ?? "/");
        }

        throw new IOException($"cannot write '{outputFile}': too many levels of symbolic links.");
    }

    private static void RefuseLinkOfAnotherUser(string link, string outputFile)
    {
        if (!UnixFileStatus.IsSupported || !UnixFileStatus.TryLstat(link, out var status) || status.Owner == UnixFileStatus.CurrentUser)
        {
            return;
        }

        var folder = System.IO.Path.GetDirectoryName(link) ?? "/";
        if (UnixFileStatus.TryRead(folder, followLinks: true, out var folderStatus) == 0 &&
            folderStatus.IsSticky && (folderStatus.Mode & OthersWrite) != 0 && folderStatus.Owner != status.Owner)
        {
            throw new UnauthorizedAccessException(
                $"cannot write '{outputFile}': {link} is a symbolic link that another user (uid {status.Owner}) made in the shared folder {folder}; " +
                "refusing to follow it (as the kernel's protected_symlinks does). Remove the link, or choose another output path.");
        }
    }

    // Links there are views of an open file (/dev/stdout, /dev/fd/1, /proc/self/fd/1): written to, never replaced. A
    // plain path under /dev is not (/dev/shm holds ordinary files, replaced as anywhere else, not appended to).
    private static bool IsUnderSpecialFolder(string path) =>
        !OperatingSystem.IsWindows() && (path.StartsWith("/dev/", StringComparison.Ordinal) || path.StartsWith("/proc/", StringComparison.Ordinal)) &&
        FileIdentity.IsSymbolicLink(path);
}
