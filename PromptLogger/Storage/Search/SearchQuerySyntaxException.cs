namespace PromptLogging.Storage.Search;

/// <summary>A search query that is not valid FTS5 query syntax; the message says where and why.</summary>
internal sealed class SearchQuerySyntaxException : Exception
{
    public SearchQuerySyntaxException(string message)
        : base(message)
    {
    }

    public SearchQuerySyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SearchQuerySyntaxException()
    {
    }
}
