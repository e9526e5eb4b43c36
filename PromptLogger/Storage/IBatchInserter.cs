namespace PromptLogging.Storage;

/// <summary>Writes batches of prompt rows into one open connection, one transaction a batch.</summary>
/// <remarks>Not thread-safe: owned by the single background writer loop.</remarks>
internal interface IBatchInserter : IDisposable
{
    /// <summary>
    /// Inserts <paramref name="records"/> in one transaction, skipping ids already stored and registering each
    /// model the first time its namespace uses it; nothing is stored if it throws.
    /// </summary>
    /// <returns>How many of the records were new (not already stored under their id).</returns>
    int Insert(IReadOnlyList<PromptRecord> records);
}
