namespace PromptLogging.Import;

/// <summary>The reader of each kind of import source.</summary>
internal static class ImportReaders
{
    /// <summary>A reader of <paramref name="path"/>, which <see cref="ImportSource.Detect"/> found to be <paramref name="kind"/>.</summary>
    /// <param name="path">The source.</param>
    /// <param name="kind">What it is.</param>
    /// <param name="defaultNamespace">The namespace of records that name none.</param>
    public static IImportReader Open(string path, ImportSourceKind kind, string defaultNamespace) => kind switch
    {
        ImportSourceKind.PythonDatabase => new PythonDatabaseReader(path, defaultNamespace),
        _ => new LineFileReader(path, kind, defaultNamespace),
    };

    /// <summary>How the command names what it found, after "Reading SOURCE as ".</summary>
    public static string Describe(ImportSourceKind kind) => kind switch
    {
        ImportSourceKind.Spool => "a spool file (one PromptLogger record a line)",
        ImportSourceKind.SeedJsonl => "JSONL in the seed's export format",
        _ => "a database of the Python prompt-logger",
    };
}
