namespace PromptLogging.Files;

/// <summary>
/// Creates the files that hold prompts (a new database, a spool file, an export being written): exclusively, so that
/// a file or link someone else put at the name fails the open instead of being followed or reused, and readable by
/// their owner only on Unix, because prompts are often confidential.
/// </summary>
internal static class OwnerOnlyFile
{
    /// <summary>Read and write for the owner, nothing for anyone else.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/>, which must not exist, locked and unbuffered.</summary>
    /// <exception cref="IOException">Something is already at <paramref name="path"/>, or it cannot be created.</exception>
    public static FileStream CreateNew(string path, FileAccess access)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = access,
            Share = FileShare.None,
            // Unbuffered: a failed write (a full disk) is not retried by Dispose's flush.
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode;
        }

        return new FileStream(path, options);
    }
}
