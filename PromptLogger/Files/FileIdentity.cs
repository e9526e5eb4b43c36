namespace PromptLogging.Files;

/// <summary>What a path names, after following its links.</summary>
internal enum FileKind
{
    Regular,
    Directory,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
    SymbolicLink,
    Other,
}

/// <summary>
/// Which file a path reaches, whatever path reaches it: its device and inode after following links, so that a
/// symlinked folder, a hard link or a relative path to one file all compare equal. On Windows, and where the C
/// library lacks <c>statx</c>/<c>stat</c>, the full path of the final link target stands in for the inode.
/// </summary>
internal sealed record FileIdentity(FileKind Kind, ulong Device, ulong Inode, string? FullPath)
{
    private const int ModeTypeMask = 0xF000;

    private static volatile bool s_nativeUnavailable = OperatingSystem.IsWindows();

    /// <summary>Whether this is an ordinary file (not a folder, device, FIFO or socket).</summary>
    public bool IsRegular => Kind == FileKind.Regular;

    /// <summary>The file <paramref name="path"/> reaches, following links; null when nothing is there or it cannot be read.</summary>
    public static FileIdentity? Of(string path) => Read(path, followLinks: true);

    /// <summary>Whether <paramref name="path"/> itself is a symbolic link (dangling or not).</summary>
    public static bool IsSymbolicLink(string path) =>
        Read(path, followLinks: false)?.Kind == FileKind.SymbolicLink;

    /// <summary>Whether both reach the same file.</summary>
    public bool IsSameFileAs(FileIdentity other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (FullPath is null && other.FullPath is null)
        {
            return Device == other.Device && Inode == other.Inode;
        }

        return FullPath is not null && other.FullPath is not null &&
               string.Equals(FullPath, other.FullPath, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }

    private static FileIdentity? Read(string path, bool followLinks)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!s_nativeUnavailable)
        {
            try
            {
                return UnixFileStatus.TryRead(path, followLinks, out var status) == 0
                    ? new FileIdentity(KindOf(status.Mode), status.Device, status.Inode, null)
                    : null;
            }
            catch (PlatformNotSupportedException)
            {
                s_nativeUnavailable = true;
            }
        }

        return ReadByPath(path, followLinks);
    }

    private static FileIdentity? ReadByPath(string path, bool followLinks)
    {
        var full = Path.GetFullPath(path);
        FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        if (info.LinkTarget is not null)
        {
            if (!followLinks)
            {
                return new FileIdentity(FileKind.SymbolicLink, 0, 0, full);
            }

            info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            info.Refresh();
        }

        if (!info.Exists)
        {
            return null;
        }

        var kind = info is DirectoryInfo ? FileKind.Directory
            // Without stat a device looks like a file; on Unix, /dev holds devices.
            : !OperatingSystem.IsWindows() && info.FullName.StartsWith("/dev/", StringComparison.Ordinal) ? FileKind.CharacterDevice
            : FileKind.Regular;
        return new FileIdentity(kind, 0, 0, info.FullName);
    }

    private static FileKind KindOf(uint mode) => (mode & ModeTypeMask) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        0xA000 => FileKind.SymbolicLink,
        _ => FileKind.Other,
    };
}
