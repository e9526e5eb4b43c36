using System.Diagnostics;

namespace PromptLogging.Tests.Support;

/// <summary>
/// A real, small <c>tmpfs</c> mounted on a fresh folder: a disk that can be filled (ENOSPC), made read-only (EROFS)
/// and given its space back while a logger writes to it. Needs root on Linux; otherwise the test is skipped with a
/// reason that starts "small-disk cases need", which .ci/run refuses to see (CI runs as root, so there it always runs).
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private readonly string _filler;

    private SmallDisk(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, ".filler");
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>An absolute path on the disk.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A <c>sqlite:////absolute</c> URL for a database file on the disk.</summary>
    public string DatabaseUrl(string name = "prompts.db") => "sqlite:///" + File(name);

    /// <summary>Mounts a tmpfs of <paramref name="sizeKiB"/> KiB, or skips the test when this machine can't.</summary>
    public static SmallDisk Mount(int sizeKiB = 2048)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Skip.Because("small-disk cases need root on Linux to mount a tmpfs (CI runs as root)");
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "promptlogger-disk-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={sizeKiB}k,mode=0755", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            Skip.Because($"small-disk cases need a tmpfs, which could not be mounted here: {output}");
        }

        return new SmallDisk(path);
    }

    /// <summary>Fills every free byte with a filler file, so the next write fails with ENOSPC.</summary>
    public void Fill()
    {
        // Unbuffered: a failed write must not be retried by Dispose's flush.
        using var stream = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
        }

        // Smaller writes take the last partial block.
        var small = new byte[512];
        try
        {
            while (true)
            {
                stream.Write(small);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Gives the space taken by <see cref="Fill"/> back.</summary>
    public void Free() => System.IO.File.Delete(_filler);

    /// <summary>Remounts the disk read-only (EROFS on every write), or writable again.</summary>
    public void SetReadOnly(bool readOnly)
    {
        var (code, output) = Run("mount", "-o", readOnly ? "remount,ro" : "remount,rw", Path);
        Assert.That(code, Is.Zero, $"remount {Path}: {output}");
    }

    public void Dispose()
    {
        // Lazy: a logger under test may still hold a file open; the kernel detaches the mount when it closes.
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static (int ExitCode, string Output) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
    }
}
