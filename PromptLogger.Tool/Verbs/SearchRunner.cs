using System.Data.Common;
using System.Text.Json;
using PromptLogging.Export;
using PromptLogging.Storage;
using PromptLogging.Storage.Search;
using PromptLogging.Tool.Rendering;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// Runs a checked <c>search</c>: brings the search index up to date (the prompts stored since the last search), runs
/// the query, prints the best matches.
/// </summary>
internal sealed class SearchRunner(ToolConsole console, OutputStyle style)
{
    private static readonly JsonEncodedText SnippetField = JsonEncodedText.Encode("snippet");

    public int Run(string database, string query, ExportFilter filter, string kind, int limit, bool json)
    {
        ArgumentNullException.ThrowIfNull(filter);
        try
        {
            var store = PromptStore.Create(DatabaseUrl.Parse(database));
            // The index is part of the database, filled lazily: a search stores what it indexes, nothing else.
            using var connection = store.OpenExistingForWriting();
            CatchUp(connection, store);
            IReadOnlyList<SearchHit> hits;
            try
            {
                hits = PromptSearch.Run(connection, store.Url.Kind, filter, kind, query, limit);
            }
            catch (SearchQuerySyntaxException exception)
            {
                console.WriteError($"{exception.Message.TrimEnd('.')}. Words, \"phrases\", prefix*, OR, NOT, AND and parentheses; see '{ToolConsole.CommandName} {SearchOptions.Name} --help'.");
                return ExitCode.Usage;
            }

            if (json)
            {
                var lines = hits.Select(hit => (hit.Id, SearchView.Marked(hit.Snippet, "[", "]"))).ToList();
                JsonlExporter.ExportPromptsById(connection, store, kind == PromptRecord.TextKind, lines, SnippetField, console.Data);
            }
            else
            {
                SearchView.Write(console.Out, style, hits);
            }

            console.Error.WriteLine(hits.Count == 1 ? "1 match" : $"{hits.Count} matches{(hits.Count == limit ? $" (the best {limit}; --limit for more)" : string.Empty)}");
            return ExitCode.Success;
        }
        catch (Exception exception) when (FailureMessage.Describe(exception) is { } message)
        {
            console.WriteError(message);
            return ExitCode.Failure;
        }
    }

    /// <summary>Indexes what was stored since the last search; a store this user may not write is searched as it is.</summary>
    private void CatchUp(DbConnection connection, PromptStore store)
    {
        var showProgress = ReferenceEquals(console.Error, Console.Error) && !Console.IsErrorRedirected;
        try
        {
            var indexed = SearchIndex.CatchUp(connection, store.Url.Kind, done =>
            {
                if (showProgress)
                {
                    console.Error.Write($"\rindexing for search: {done:N0} prompts");
                }
            });
            if (showProgress && indexed >= SearchIndex.BatchSize)
            {
                console.Error.WriteLine();
            }
        }
        catch (DbException exception) when (store.IsUnavailable(exception) || exception.Message.Contains("readonly", StringComparison.OrdinalIgnoreCase))
        {
            console.WriteWarning($"the search index could not be brought up to date ({exception.Message}); the newest prompts may be missing from the results.");
        }
    }
}
