namespace PromptLogging.Storage.Search;

/// <summary>
/// The names of the full-text search structures (schema step 5, <see cref="SchemaSteps"/>) and what text of a prompt
/// they hold: every string under a <c>content</c> or <c>text</c> key of its messages (the request) and of its
/// completions (the reply), with a text prompt's prompt and response.
/// </summary>
internal static class SearchSchema
{
    /// <summary>SQLite: the view of each prompt's searchable text, the FTS5 index's external content.</summary>
    public const string SqliteTextView = "prompts_search_text";

    /// <summary>SQLite: the FTS5 index (columns <c>request</c>, <c>reply</c>; its rowid is the prompt's rowid).</summary>
    public const string SqliteIndex = "prompts_fts";

    /// <summary>PostgreSQL: one tsvector per indexed prompt, by the prompt's <c>seq</c>.</summary>
    public const string PostgresIndex = "prompt_search";

    /// <summary>Both: the one row saying how far the index reaches (every prompt at or below <c>high_water</c> is in it).</summary>
    public const string StateTable = "prompt_search_state";

    /// <summary>The PostgreSQL text search configuration: no stemming and no stop words, as SQLite's unicode61 tokenizer.</summary>
    public const string PostgresConfiguration = "simple";

    /// <summary>
    /// SQLite: the strings under a <c>content</c> or <c>text</c> key anywhere in a JSON column, one a line; NULL when the
    /// column holds no valid JSON (a damaged row is left out of the index, not an error for every search).
    /// </summary>
    public static string SqliteJsonText(string column) =>
        $"CASE WHEN json_valid({column}) THEN (SELECT group_concat(value, char(10)) FROM json_tree({column}) " +
        "WHERE key IN ('content', 'text') AND type = 'text') END";
}
