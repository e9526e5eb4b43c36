using System.Data.Common;
using Dapper;
using PromptLogging.Export;
using PromptLogging.Storage;
using PromptLogging.Storage.Search;
using PromptLogging.Tool.Browsing;

namespace PromptLogging.Tool.Web.Api;

/// <summary>One search match: the record and the matching fragment of its text, matching words marked.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Model">The model asked for.</param>
/// <param name="Time">When the call was made (UTC).</param>
/// <param name="Snippet">The fragment, in parts: matching words have <c>Match</c> set.</param>
public sealed record SearchRow(string Id, string Namespace, string? Model, DateTimeOffset Time, IReadOnlyList<SnippetPart> Snippet)
{
    public string TimeText => Display.Time(Time);
}

/// <summary>A piece of a search snippet.</summary>
/// <param name="Text">The text, as stored.</param>
/// <param name="Match">Whether it is a matching word.</param>
public sealed record SnippetPart(string Text, bool Match);

/// <summary>
/// Search in serve: what the index holds, never more. serve only reads, so it does not bring the index up to date
/// as the <c>search</c> verb does (that writes into the database); the page says how many prompts stored since the
/// last <c>search</c> are not indexed yet.
/// </summary>
internal static class SearchResults
{
    /// <summary>The best <paramref name="limit"/> matches, best first.</summary>
    /// <exception cref="SearchQuerySyntaxException">The query is malformed.</exception>
    public static IReadOnlyList<SearchRow> Run(ReadSession session, ExportFilter filter, string query, int limit)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(filter);
        return
        [
            .. PromptSearch.Run(session.Connection, session.Store.Url.Kind, filter, filter.Kind, query, limit).Select(hit => new SearchRow(
                hit.Id, hit.Namespace, hit.Model, EpochSeconds.ToTime(hit.InferenceOn), Parts(hit.Snippet))),
        ];
    }

    /// <summary>How many prompts (any namespace) are stored after the index's high-water mark; null when unknown.</summary>
    public static long? NotIndexed(ReadSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var order = session.Store.InsertionOrderColumn;
        try
        {
            return session.Connection.ExecuteScalar<long>(
                $"SELECT count(*) FROM prompts WHERE {order} > COALESCE((SELECT high_water FROM {SearchSchema.StateTable} WHERE id = 1), 0)");
        }
        catch (DbException)
        {
            return null;
        }
    }

    /// <summary>Splits a snippet at its match marks.</summary>
    internal static IReadOnlyList<SnippetPart> Parts(string snippet)
    {
        var parts = new List<SnippetPart>();
        var match = false;
        var start = 0;
        for (var i = 0; i <= snippet.Length; i++)
        {
            if (i == snippet.Length || snippet[i] is SearchHit.MatchStart or SearchHit.MatchEnd)
            {
                if (i > start)
                {
                    parts.Add(new SnippetPart(snippet[start..i], match));
                }

                if (i < snippet.Length)
                {
                    match = snippet[i] == SearchHit.MatchStart;
                }

                start = i + 1;
            }
        }

        return parts;
    }
}
