using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace PromptLogging.Files;

/// <summary>
/// What the kernel says about a file — identity (device, inode), owner, type, permission bits, link count — read
/// with or without following a symbolic link (<c>stat</c>/<c>lstat</c>) or from an open handle (<c>fstat</c>), so
/// that a file can be checked before it is trusted, the file opened can be proven to be the file checked, and two
/// paths can be told to reach the same file.
/// </summary>
/// <remarks>
/// .NET exposes neither a file's owner nor its inode, so this asks the C library directly: Linux's <c>statx</c> (one
/// layout on every architecture, glibc 2.28+ and musl 1.2.5+), macOS's <c>stat</c>/<c>lstat</c> for paths. Owner
/// checks and <see cref="Fstat"/> are Linux only (<see cref="IsSupported"/>); elsewhere callers fall back to what .NET
/// offers (permission bits, link targets, full paths).
/// </remarks>
internal readonly record struct UnixFileStatus(ulong Device, ulong Inode, uint Owner, uint Mode, uint Links)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const uint TypeMask = 0xF000;
    private const uint RegularType = 0x8000;
    private const uint DirectoryType = 0x4000;
    private const uint SymlinkType = 0xA000;
    private const int NoSuchFile = 2;

    /// <summary>Whether owner checks and <see cref="Fstat"/> are answered here (Linux); false elsewhere.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The effective user id of this process.</summary>
    public static uint CurrentUser => NativeMethods.geteuid();

    public bool IsRegularFile => (Mode & TypeMask) == RegularType;

    public bool IsDirectory => (Mode & TypeMask) == DirectoryType;

    public bool IsSymbolicLink => (Mode & TypeMask) == SymlinkType;

    /// <summary>Whether users other than the owner may write it (group or others write bit).</summary>
    public bool IsWritableByOthers => (Mode & 0b000_010_010) != 0;

    /// <summary>The sticky bit: in a folder, only a file's owner may rename or delete it.</summary>
    public bool IsSticky => (Mode & 0x200) != 0;

    /// <summary>The permission bits, as <c>ls</c> shows them in octal (<c>777</c>).</summary>
    public string Permissions => Convert.ToString(Mode & 0xFFF, 8);

    /// <summary>Whether the two name the same file.</summary>
    public bool IsSameFile(UnixFileStatus other) => Device == other.Device && Inode == other.Inode;

    /// <summary>The status of <paramref name="path"/> itself (a link is not followed); false when nothing is there.</summary>
    /// <exception cref="IOException">The status could not be read for another reason (permissions, I/O).</exception>
    public static bool TryLstat(string path, out UnixFileStatus status)
    {
        var error = TryRead(path, followLinks: false, out status);
        return error == 0 || (error == NoSuchFile
            ? false
            : throw new IOException($"cannot read the status of {path}: {Marshal.GetPInvokeErrorMessage(error)}"));
    }

    /// <summary>
    /// Reads the status of <paramref name="path"/> (of a link itself when <paramref name="followLinks"/> is false).
    /// </summary>
    /// <returns>0 on success, otherwise the errno (<c>ENOENT</c>, <c>EACCES</c>, …).</returns>
    /// <exception cref="PlatformNotSupportedException">Not Linux or macOS, or a C library without these calls.</exception>
    public static int TryRead(string path, bool followLinks, out UnixFileStatus status)
    {
        status = default;
        try
        {
            if (OperatingSystem.IsLinux())
            {
                if (NativeMethods.statx(AtFdCwd, PathBytes(path), followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, out var buffer) != 0)
                {
                    return Marshal.GetLastPInvokeError();
                }

                status = From(buffer);
                return 0;
            }

            if (OperatingSystem.IsMacOS())
            {
                var bytes = PathBytes(path);
                MacStat mac;
                var result = RuntimeInformation.ProcessArchitecture == Architecture.X64
                    ? (followLinks ? NativeMethods.MacStatX64(bytes, out mac) : NativeMethods.MacLstatX64(bytes, out mac))
                    : (followLinks ? NativeMethods.MacStatArm64(bytes, out mac) : NativeMethods.MacLstatArm64(bytes, out mac));
                if (result != 0)
                {
                    return Marshal.GetLastPInvokeError();
                }

                status = new UnixFileStatus(unchecked((uint)mac.Device), mac.Inode, mac.Uid, mac.Mode, mac.Links);
                return 0;
            }
        }
        catch (EntryPointNotFoundException exception)
        {
            throw new PlatformNotSupportedException("This C library has no statx/stat entry point.", exception);
        }
        catch (DllNotFoundException exception)
        {
            throw new PlatformNotSupportedException("No C library to ask for file status.", exception);
        }

        throw new PlatformNotSupportedException("File status is read on Linux and macOS only.");
    }

    /// <summary>The status of the file an open handle refers to (Linux).</summary>
    public static UnixFileStatus Fstat(SafeFileHandle handle, string path)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (NativeMethods.statx((int)handle.DangerousGetHandle(), [0], AtEmptyPath, StatxBasicStats, out var buffer) == 0)
            {
                return From(buffer);
            }

            throw new IOException($"cannot read the status of {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    // Paths go as NUL-terminated UTF-8 bytes, as the file system stores them.
    private static byte[] PathBytes(string path) => Encoding.UTF8.GetBytes(path + "\0");

    private static UnixFileStatus From(in StatxBuffer buffer) => new(
        ((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor,
        buffer.Inode,
        buffer.Uid,
        buffer.Mode,
        buffer.Links);

    /// <summary><c>struct statx</c> (linux/stat.h): the fields read here, at their fixed offsets, in its 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(16)] public uint Links;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(136)] public uint DeviceMajor;
        [FieldOffset(140)] public uint DeviceMinor;
    }

    /// <summary>macOS <c>struct stat</c> with 64-bit inodes (144 bytes): only the fields read here.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 144)]
    private struct MacStat
    {
        [FieldOffset(0)] public int Device;
        [FieldOffset(4)] public ushort Mode;
        [FieldOffset(6)] public ushort Links;
        [FieldOffset(8)] public ulong Inode;
        [FieldOffset(16)] public uint Uid;
    }

    private static class NativeMethods
    {
#pragma warning disable CA1707, SA1300 // The C library's own names.
        [DllImport("libc", SetLastError = true, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int statx(int dirfd, byte[] path, int flags, uint mask, out StatxBuffer buffer);

        [DllImport("libc", ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern uint geteuid();

        [DllImport("libc", EntryPoint = "stat", SetLastError = true, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int MacStatArm64(byte[] path, out MacStat status);

        [DllImport("libc", EntryPoint = "lstat", SetLastError = true, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int MacLstatArm64(byte[] path, out MacStat status);

        [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int MacStatX64(byte[] path, out MacStat status);

        [DllImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int MacLstatX64(byte[] path, out MacStat status);
#pragma warning restore CA1707, SA1300
    }
}
