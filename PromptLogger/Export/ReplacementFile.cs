using System.Diagnostics;
using System.Globalization;
using PromptLogging.Files;

namespace PromptLogging.Export;

/// <summary>
/// A regular file replaced whole: the lines go to a temporary file beside it, which is synced, given its permission
/// bits, and renamed over the target, so that the target holds the old content or the new, never half of it. An
/// export that fails or is cancelled removes its temporary file; one killed outright leaves it, and the next export
/// into the same folder removes it (the name carries the process id, which is no longer running).
/// </summary>
internal sealed class ReplacementFile : ExportOutput
{
    // .NAME.promptlogger-export-PID-RANDOM.tmp: hidden, recognisable, and naming the process that wrote it.
    private const string Marker = ".promptlogger-export-";
    private const string Suffix = ".tmp";

    // Keeps the temporary name within NAME_MAX (255) whatever the target's name.
    private const int KeptNameLength = 100;

    private readonly string _target;
    private readonly UnixFileMode _mode;
    private readonly FileStream _stream;
    private bool _committed;

    /// <param name="target">The file to replace or create (a link's final target, not the link).</param>
    /// <param name="mode">The permission bits the file gets on Unix.</param>
    public ReplacementFile(string target, UnixFileMode mode)
    {
        _target = target;
        _mode = mode;
        var folder = Path.GetDirectoryName(target) ?? ".";
        RemoveStale(folder);
        var name = Path.GetFileName(target);
        TemporaryPath = Path.Combine(
            folder,
            "." + name[..Math.Min(name.Length, KeptNameLength)] + Marker +
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8] + Suffix);
        // Owner-only while it is written (lines arrive in 64 KB chunks, so unbuffered costs nothing); the final bits
        // are set before it is moved into place.
        _stream = OwnerOnlyFile.CreateNew(TemporaryPath, FileAccess.Write);
    }

    public string TemporaryPath { get; }

    public override Stream Stream => _stream;

    public override void Commit()
    {
        _stream.Flush(flushToDisk: true);
        if (!OperatingSystem.IsWindows())
        {
            // Set on the open file, so that umask does not narrow it and no other file can be changed by name.
            File.SetUnixFileMode(_stream.SafeFileHandle, _mode);
        }

        _stream.Dispose();
        File.Move(TemporaryPath, _target, overwrite: true);
        _committed = true;
    }

    public override void Dispose()
    {
        _stream.Dispose();
        if (!_committed)
        {
            TryDelete(TemporaryPath);
        }
    }

    /// <summary>Whether <paramref name="fileName"/> is a temporary export file, and which process wrote it.</summary>
    public static bool IsTemporaryName(string fileName, out int processId)
    {
        processId = 0;
        var marker = fileName.LastIndexOf(Marker, StringComparison.Ordinal);
        if (!fileName.StartsWith('.') || marker < 0 || !fileName.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = fileName.AsSpan(marker + Marker.Length, fileName.Length - marker - Marker.Length - Suffix.Length);
        var dash = rest.IndexOf('-');
        return dash > 0 && rest.Length - dash - 1 == 8 &&
               int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out processId);
    }

    /// <summary>Removes the temporary files in <paramref name="folder"/> left by exports whose process is gone.</summary>
    public static void RemoveStale(string folder)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(folder, "." + "*" + Marker + "*" + Suffix).ToList();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var path in candidates)
        {
            if (IsTemporaryName(Path.GetFileName(path), out var processId) && !IsRunning(processId) && !IsOpenForWriting(path))
            {
                TryDelete(path);
            }
        }
    }

    /// <summary>
    /// Whether an export still holds the file: it is open with <see cref="FileShare.None"/>, a lock (<c>flock</c> on
    /// Unix) that outlives no process. The process id alone does not tell: an export in another container (another
    /// PID namespace) writing into the same mounted folder has an id that is not running here. A file this user may
    /// not open (another user's) is left alone too.
    /// </summary>
    private static bool IsOpenForWriting(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, bufferSize: 0);
            return false;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return exception is not FileNotFoundException;
        }
    }

    private static bool IsRunning(int processId)
    {
        if (processId == Environment.ProcessId)
        {
            // Another export of this process may be writing it right now.
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Left for the next export into this folder.
        }
    }
}
