using PromptLogging.Tool.Web.Api;

namespace PromptLogging.Tool.Web.Pages;

/// <summary>What the records page shows: the filter form's values, a page of records or the search's matches.</summary>
public sealed class RecordsModel
{
    public required string Database { get; init; }
    public required RecordSelection Selection { get; init; }
    public IReadOnlyList<string> Namespaces { get; init; } = [];
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>A filter or search that cannot be read, said as the CLI would; nothing else is shown then.</summary>
    public string? Problem { get; init; }

    public IReadOnlyList<RecordRow> Rows { get; init; } = [];

    /// <summary>The search's matches, best first; null when the page is not a search.</summary>
    public IReadOnlyList<SearchRow>? Matches { get; init; }

    /// <summary>Prompts stored since the search index was last brought up to date (serve does not index).</summary>
    public long? NotIndexed { get; init; }

    /// <summary>The next (older) page's URL; null on the last page.</summary>
    public string? OlderUrl { get; init; }

    /// <summary>The live feed's URL (first page, no search): new records are added at the top as they are stored.</summary>
    public string? LiveUrl { get; init; }

    public bool IsFirstPage => Selection.Before.Length == 0;
}
