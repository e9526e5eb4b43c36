using System.Runtime.InteropServices;
using System.Text;

namespace PromptLogging.Export;

/// <summary>
/// <c>stat</c>/<c>lstat</c> for what .NET does not expose: a file's device, inode and type. Linux through
/// <c>statx</c> (one layout on every architecture, glibc 2.28+ and musl 1.2.5+), macOS through <c>stat</c>.
/// </summary>
internal static class UnixFileStatus
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    /// <summary>
    /// Reads the status of <paramref name="path"/> (of a link itself when <paramref name="followLinks"/> is false).
    /// </summary>
    /// <returns>0 on success, otherwise the errno (<c>ENOENT</c>, <c>EACCES</c>, …).</returns>
    /// <exception cref="PlatformNotSupportedException">Not Linux or macOS, or a C library without these calls.</exception>
    public static int TryRead(string path, bool followLinks, out ulong device, out ulong inode, out int mode)
    {
        device = 0;
        inode = 0;
        mode = 0;
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        try
        {
            if (OperatingSystem.IsLinux())
            {
                if (Statx(AtCurrentDirectory, bytes, followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, out var status) != 0)
                {
                    return Marshal.GetLastPInvokeError();
                }

                device = ((ulong)status.DeviceMajor << 32) | status.DeviceMinor;
                inode = status.Inode;
                mode = status.Mode;
                return 0;
            }

            if (OperatingSystem.IsMacOS())
            {
                MacStat status;
                var result = RuntimeInformation.ProcessArchitecture == Architecture.X64
                    ? (followLinks ? MacStatX64(bytes, out status) : MacLstatX64(bytes, out status))
                    : (followLinks ? MacStatArm64(bytes, out status) : MacLstatArm64(bytes, out status));
                if (result != 0)
                {
                    return Marshal.GetLastPInvokeError();
                }

                device = unchecked((uint)status.Device);
                inode = status.Inode;
                mode = status.Mode;
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

        throw new PlatformNotSupportedException("File identity is read on Linux and macOS only.");
    }

    // Paths go as NUL-terminated UTF-8 bytes, as the file system stores them.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true, ExactSpelling = true)]
    private static extern int Statx(int directory, byte[] path, int flags, uint mask, out LinuxStatx status);

    [DllImport("libc", EntryPoint = "stat", SetLastError = true, ExactSpelling = true)]
    private static extern int MacStatArm64(byte[] path, out MacStat status);

    [DllImport("libc", EntryPoint = "lstat", SetLastError = true, ExactSpelling = true)]
    private static extern int MacLstatArm64(byte[] path, out MacStat status);

    [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true, ExactSpelling = true)]
    private static extern int MacStatX64(byte[] path, out MacStat status);

    [DllImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true, ExactSpelling = true)]
    private static extern int MacLstatX64(byte[] path, out MacStat status);

    /// <summary>Linux <c>struct statx</c> (256 bytes): only the fields read here.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct LinuxStatx
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(136)]
        public uint DeviceMajor;

        [FieldOffset(140)]
        public uint DeviceMinor;
    }

    /// <summary>macOS <c>struct stat</c> with 64-bit inodes (144 bytes): only the fields read here.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 144)]
    private struct MacStat
    {
        [FieldOffset(0)]
        public int Device;

        [FieldOffset(4)]
        public ushort Mode;

        [FieldOffset(8)]
        public ulong Inode;
    }
}
