using System.Data.Common;
using System.Text;
using Dapper;
using PromptLogging.Export;
using PromptLogging.Storage;

namespace PromptLogging.Browsing;

/// <summary>
/// The reads behind <c>list</c> and <c>show</c> (<c>list --follow</c>: <see cref="RecordFollower"/>), on any store (ADO.NET + Dapper), selected by the
/// one <see cref="ExportFilter"/> every verb shares.
/// </summary>
internal static class RecordQueries
{
    /// <summary>The most an id prefix may match before <c>show</c> lists the candidates.</summary>
    public const int MaxCandidates = 10;

    // list: what a line shows, plus the messages and reply it quotes; show: everything.
    internal const string Summary =
        "id AS Id, namespace AS Namespace, kind AS Kind, model AS Model, response_model AS ResponseModel, provider AS Provider, " +
        "inference_on AS InferenceOn, inference_seconds AS InferenceSeconds, input_tokens AS InputTokens, " +
        "cached_input_tokens AS CachedInputTokens, output_tokens AS OutputTokens, error AS Error, messages AS Messages, " +
        "completions AS Completions, prompt AS Prompt, response AS Response";

    internal const string Full = Summary +
        ", time_to_first_token_seconds AS TimeToFirstTokenSeconds, reasoning_tokens AS ReasoningTokens, tools AS Tools, " +
        "generation_kwargs AS GenerationKwargs, stream AS Stream, stream_end AS StreamEnd, conversation_id AS ConversationId, " +
        "user_id AS UserId, tags AS Tags, metadata AS Metadata, replay_of AS ReplayOf, response_id AS ResponseId";

    /// <summary>The newest <paramref name="limit"/> records the filter selects, newest first (by the time index).</summary>
    public static IReadOnlyList<StoredRecord> Newest(DbConnection connection, PromptStore store, ExportFilter filter, int limit)
    {
        ArgumentNullException.ThrowIfNull(store);
        var parameters = new List<KeyValuePair<string, string>>();
        var sql = new StringBuilder("SELECT ").Append(Summary).Append(" FROM prompts");
        FilterSql.AppendWhere(sql, filter, parameters);
        sql.Append(" ORDER BY inference_on DESC, ").Append(store.InsertionOrderColumn).Append(" DESC LIMIT ").Append(Math.Max(0, limit));
        return [.. connection.Query<StoredRecord>(sql.ToString(), FilterSql.ToDapper(parameters))];
    }

    /// <summary>
    /// The records whose id starts with <paramref name="prefix"/> (case-insensitive), at most
    /// <see cref="MaxCandidates"/> + 1, found through the primary key by a range of ids.
    /// </summary>
    public static IReadOnlyList<StoredRecord> ByIdPrefix(DbConnection connection, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var lower = prefix.ToLowerInvariant();
        var sql = new StringBuilder("SELECT ").Append(Full).Append(" FROM prompts WHERE id >= @low");
        var parameters = new List<KeyValuePair<string, string>> { new("low", lower) };
        if (NextPrefix(lower) is { } high)
        {
            sql.Append(" AND id < @high");
            parameters.Add(new("high", high));
        }

        sql.Append(" ORDER BY id LIMIT ").Append(MaxCandidates * 4);
        // The range is the index's part; the exact test is here, whatever the server's collation sorts '-' as.
        return [.. connection.Query<StoredRecord>(sql.ToString(), FilterSql.ToDapper(parameters))
            .Where(r => r.Id.StartsWith(lower, StringComparison.OrdinalIgnoreCase))
            .Take(MaxCandidates + 1)];
    }

    /// <summary>The least text greater than every text that starts with <paramref name="prefix"/>; null when none.</summary>
    private static string? NextPrefix(string prefix)
    {
        var chars = prefix.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            if (chars[i] < '\u007E')
            {
                chars[i]++;
                return new string(chars, 0, i + 1);
            }
        }

        return null;
    }
}
