using PromptLogging.Files;
using PromptLogging.Storage;

namespace PromptLogging.Writing;

/// <summary>
/// The folder spool files live in, and whether it and the files in it can be trusted: only this user may be able
/// to add, remove or replace a spool file, and only a file this user wrote is replayed into the database.
/// </summary>
/// <remarks>
/// <para>
/// A folder of PromptLogger's own (a server database's spool, under <see cref="PostgresStore.SpoolRoot"/>) is
/// created owner-only (0700), and an existing one is used only if it and every folder from the spool root down
/// are owned by this user and not writable by group or others.
/// </para>
/// <para>
/// The folder of a SQLite database is the user's choice, so it is held to the rule for a shared folder: owned by
/// this user or by root, and writable by nobody else unless sticky (like <c>/tmp</c>, where only a file's owner may
/// rename or delete it).
/// </para>
/// <para>
/// Owners are checked on Linux; other Unix systems check permission bits and links only; Windows relies on the
/// access rules of the per-user folder (<c>%LOCALAPPDATA%</c>).
/// </para>
/// </remarks>
internal sealed class SpoolFolder
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    // The folders that must be this user's alone, from the spool root down; empty for a database's folder.
    private readonly string[] _ownChain;

    private SpoolFolder(string path, string[] ownChain)
    {
        Path = path;
        _ownChain = ownChain;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The folder of spool files named after <paramref name="spoolPath"/> (<c>PATH.spool-*.jsonl</c>).</summary>
    public static SpoolFolder For(string spoolPath)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(spoolPath))!;
        var root = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(PostgresStore.SpoolRoot));
        return new SpoolFolder(folder, ChainBelow(root, folder));
    }

    /// <summary>Whether the folder exists (as a folder).</summary>
    public bool Exists => Directory.Exists(Path);

    /// <summary>Creates the folder (owner-only) if it is missing, then checks that this user alone controls it.</summary>
    /// <exception cref="UnsafeSpoolException">Another user could change the folder's files.</exception>
    public void EnsureUsable()
    {
        if (!Directory.Exists(Path))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Path);
            }
            else
            {
                // Spooled prompts are as confidential as the database: folders made for them are the owner's only
                // (CreateDirectory gives the mode to the last folder only, so each of ours is made in turn).
                foreach (var folder in _ownChain.Length > 0 ? _ownChain : [Path])
                {
                    Directory.CreateDirectory(folder, OwnerOnly);
                }
            }
        }

        if (Problem() is { } problem)
        {
            throw new UnsafeSpoolException(problem);
        }
    }

    /// <summary>Why the existing folder must not be used; null when it may (or when it does not exist).</summary>
    public string? Problem()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        foreach (var folder in _ownChain)
        {
            if (OwnFolderProblem(folder) is { } problem)
            {
                return problem;
            }
        }

        return _ownChain.Length == 0 ? SharedFolderProblem(Path) : null;
    }

    /// <summary>
    /// Why the spool file at <paramref name="path"/> must not be read or appended to: not a plain file (a link, a
    /// folder, a device), not this user's, writable by others, or with another name (hard link) elsewhere. Null
    /// when it is a file this user wrote, or when nothing is there.
    /// </summary>
    public static string? FileProblem(string path)
    {
        if (UnixFileStatus.IsSupported)
        {
            return UnixFileStatus.TryLstat(path, out var status) ? FileProblem(path, status) : null;
        }

        var file = new FileInfo(path);
        if (!file.Exists && file.LinkTarget is null)
        {
            return null;
        }

        if (file.LinkTarget is not null || (file.Attributes & (FileAttributes.Directory | FileAttributes.Device)) != 0)
        {
            return $"{path} is not a plain file (a link or a folder)";
        }

        return !OperatingSystem.IsWindows() && (file.UnixFileMode & WritableByOthers) != 0
            ? $"{path} is writable by other users (mode {Octal(file.UnixFileMode)})"
            : null;
    }

    /// <summary>The same checks on a status already read (lstat before opening, fstat after).</summary>
    public static string? FileProblem(string path, UnixFileStatus status) =>
        !status.IsRegularFile ? $"{path} is not a plain file (a link, a folder or a device)"
        : status.Owner != UnixFileStatus.CurrentUser ? $"{path} belongs to user {status.Owner}, not to this user ({UnixFileStatus.CurrentUser})"
        : status.IsWritableByOthers ? $"{path} is writable by other users (mode {status.Permissions})"
        : status.Links != 1 ? $"{path} has other names (hard links) elsewhere"
        : null;

    private static string? OwnFolderProblem(string folder)
    {
        const string Fix = "Remove it, or make it this user's alone (chown to this user, chmod 700), so that PromptLogger can spool there again.";
        if (UnixFileStatus.IsSupported)
        {
            if (!UnixFileStatus.TryLstat(folder, out var status))
            {
                return null;
            }

            var me = UnixFileStatus.CurrentUser;
            return !status.IsDirectory ? Unusable(folder, "it is not a folder (a link or a file)", Fix)
                : status.Owner != me ? Unusable(folder, $"it belongs to user {status.Owner}, not to this user ({me})", Fix)
                : status.IsWritableByOthers ? Unusable(folder, $"other users can write to it (mode {status.Permissions})", Fix)
                : null;
        }

        var info = new DirectoryInfo(folder);
        return !info.Exists ? null
            : info.LinkTarget is not null ? Unusable(folder, "it is a link", Fix)
            : (info.UnixFileMode & WritableByOthers) != 0 ? Unusable(folder, $"other users can write to it (mode {Octal(info.UnixFileMode)})", Fix)
            : null;
    }

    private static string? SharedFolderProblem(string folder)
    {
        const string Fix = "Keep the database in a folder that only its owner can write to (or a sticky one, like /tmp).";
        if (UnixFileStatus.IsSupported)
        {
            // The database's folder may be reached through links: its own path is the user's choice.
            var target = new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? folder;
            if (!UnixFileStatus.TryLstat(target, out var status))
            {
                return null;
            }

            var me = UnixFileStatus.CurrentUser;
            return status.Owner != me && status.Owner != 0 ? Unusable(folder, $"it belongs to user {status.Owner}, neither this user ({me}) nor root", Fix)
                : status.IsWritableByOthers && !status.IsSticky ? Unusable(folder, $"other users can write to it and it is not sticky (mode {status.Permissions})", Fix)
                : null;
        }

        var info = new DirectoryInfo(folder);
        return info.Exists && (info.UnixFileMode & WritableByOthers) != 0 && (info.UnixFileMode & UnixFileMode.StickyBit) == 0
            ? Unusable(folder, $"other users can write to it and it is not sticky (mode {Octal(info.UnixFileMode)})", Fix)
            : null;
    }

    private static string Unusable(string folder, string why, string fix) =>
        $"PromptLogger will not spool records in {folder}: {why}, so another user could plant records that would be " +
        $"stored in the database, delete spooled ones, or redirect them to a file of their choice. {fix}";

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0xFFF, 8);

    /// <summary>Every folder from <paramref name="root"/> down to <paramref name="folder"/>; none when it is not under it.</summary>
    private static string[] ChainBelow(string root, string folder)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!folder.Equals(root, comparison) && !folder.StartsWith(root + System.IO.Path.DirectorySeparatorChar, comparison))
        {
            return [];
        }

        var chain = new List<string>();
        for (var current = folder; current.Length >= root.Length; current = System.IO.Path.GetDirectoryName(current)!)
        {
            chain.Add(current);
        }

        chain.Reverse();
        return [.. chain];
    }
}
