namespace PromptLogging.Import;

/// <summary>An import source that cannot be read (any further): damaged, or not what it first looked like.</summary>
internal sealed class ImportSourceException : Exception
{
    public ImportSourceException()
    {
    }

    public ImportSourceException(string message)
        : base(message)
    {
    }

    public ImportSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
