using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PromptLogging.Writing;

/// <summary>
/// What the kernel says about a file — identity (device, inode), owner, type, permission bits, link count — read
/// without following a symbolic link (<c>lstat</c>) or from an open handle (<c>fstat</c>), so that a file can be
/// checked before it is trusted and the file opened can be proven to be the file checked.
/// </summary>
/// <remarks>
/// .NET exposes neither a file's owner nor its inode, so this asks Linux's <c>statx</c> directly (a layout that is
/// the same on every architecture). Elsewhere <see cref="IsSupported"/> is false and callers fall back to what .NET
/// offers (permission bits, link targets).
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

    /// <summary>Whether this platform answers (Linux); false elsewhere.</summary>
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
        if (NativeMethods.statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out var buffer) == 0)
        {
            status = From(buffer);
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        status = default;
        return error == NoSuchFile ? false : throw new IOException($"cannot read the status of {path}: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    /// <summary>The status of the file an open handle refers to.</summary>
    public static UnixFileStatus Fstat(SafeFileHandle handle, string path)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (NativeMethods.statx((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxBasicStats, out var buffer) == 0)
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

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable CA1707, CA2101, SA1300 // The C library's own names; paths are passed as UTF-8, as Linux expects (CA2101 knows only ANSI and UTF-16).
        public static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, out StatxBuffer buffer);

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern uint geteuid();
#pragma warning restore CA1707, CA2101, SA1300
    }
}
