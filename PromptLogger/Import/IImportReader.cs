namespace PromptLogging.Import;

/// <summary>Reads the records of one import source, in the source's order.</summary>
internal interface IImportReader : IDisposable
{
    /// <summary>
    /// The source's records, each whole: a record is yielded only once everything it is made of has been read.
    /// What is not a record is told to <paramref name="skipped"/> and left out.
    /// </summary>
    /// <exception cref="ImportSourceException">The source cannot be read any further (a damaged database).</exception>
    IEnumerable<ImportItem> Read(Action<ImportSkip> skipped);
}
