namespace PromptLogging;

/// <summary>
/// Thrown when a database was written by a newer PromptLogger whose schema this version does not understand.
/// </summary>
/// <remarks>Nothing in the database is changed when this is thrown.</remarks>
public sealed class UnsupportedSchemaVersionException : InvalidOperationException
{
    /// <summary>Creates the exception for the database at <paramref name="path"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="foundVersion">The schema version found in the file.</param>
    /// <param name="supportedVersion">The newest schema version this PromptLogger understands.</param>
    public UnsupportedSchemaVersionException(string path, int foundVersion, int supportedVersion)
        : base($"The database '{path}' has schema version {foundVersion}, written by a newer PromptLogger; " +
               $"this PromptLogger understands schema versions up to {supportedVersion}. " +
               "Upgrade PromptLogger, or use another database file.")
    {
        Path = path;
        FoundVersion = foundVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The schema version found in the file.</summary>
    public int FoundVersion { get; }

    /// <summary>The newest schema version this PromptLogger understands.</summary>
    public int SupportedVersion { get; }
}
