namespace PromptLogging.Writing;

/// <summary>
/// A spool folder or file that PromptLogger will not use because another user could change it: plant records
/// that would be replayed into the database, delete spooled ones, or swap the file for a link so that this
/// process writes prompts where that user chose. The message names the path, what is wrong and what to do.
/// </summary>
internal sealed class UnsafeSpoolException : IOException
{
    public UnsafeSpoolException(string message)
        : base(message)
    {
    }

    public UnsafeSpoolException()
    {
    }

    public UnsafeSpoolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
