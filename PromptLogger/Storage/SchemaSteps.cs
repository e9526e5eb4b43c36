using System.Text;
using PromptLogging.Storage.Search;

namespace PromptLogging.Storage;

/// <summary>
/// The schema versions: what each adds beyond the <c>prompts</c> columns of that version (which come from
/// <see cref="PromptColumns"/>) — other tables, indexes, a backfill — in each store's SQL.
/// </summary>
/// <remarks>
/// Step N takes a database from version N-1 to N: step 1 creates the tables, every later one adds its version's
/// columns to <c>prompts</c>, then runs its own SQL. Never edit a released step: add one.
/// </remarks>
internal static class SchemaSteps
{
    /// <summary>What each version adds besides its <c>prompts</c> columns: SQL before and after them, per store.</summary>
    private static readonly Step[] All =
    [
        // 1: the seed's data — models per namespace, one row per prompt with JSON columns.
        new(
            SqliteBefore: """
                CREATE TABLE models (
                    id TEXT PRIMARY KEY,
                    namespace TEXT NOT NULL,
                    name TEXT NOT NULL,
                    version TEXT,
                    provider TEXT,
                    description TEXT,
                    created REAL NOT NULL,
                    UNIQUE (namespace, name));
                """,
            SqliteAfter: "CREATE INDEX ix_prompts_namespace_kind ON prompts (namespace, kind);",
            PostgresBefore: """
                CREATE TABLE models (
                    seq bigint GENERATED ALWAYS AS IDENTITY,
                    id text PRIMARY KEY,
                    namespace text NOT NULL,
                    name text NOT NULL,
                    version text,
                    provider text,
                    description text,
                    created double precision NOT NULL,
                    UNIQUE (namespace, name));
                """,
            PostgresAfter: "CREATE INDEX ix_prompts_namespace_kind_seq ON prompts (namespace, kind, seq);"),

        // 2: what PromptLogger adds beyond the seed — provider, tools, usage, errors, streaming, tags.
        Step.ColumnsOnly,

        // 3: what answered and how a stream ended — the response's model, id and system fingerprint; stream_end.
        Step.ColumnsOnly,

        // 4: record context — conversation, user, metadata, replay_of, more usage, the thread key; what exports
        // select by (conversation, user, tag: one row a tag in prompt_tags) and what a thread continues (thread_key).
        // The user and thread key indexes leave out rows without one: most calls name no user, text calls have no thread.
        new(
            SqliteBefore: string.Empty,
            SqliteAfter: """
                CREATE INDEX ix_prompts_conversation ON prompts (namespace, kind, conversation_id);
                CREATE INDEX ix_prompts_user ON prompts (namespace, kind, user_id) WHERE user_id IS NOT NULL;
                CREATE INDEX ix_prompts_thread_key ON prompts (thread_key) WHERE thread_key IS NOT NULL;
                CREATE TABLE prompt_tags (
                    tag TEXT NOT NULL,
                    prompt_id TEXT NOT NULL,
                    PRIMARY KEY (tag, prompt_id)) WITHOUT ROWID;
                INSERT OR IGNORE INTO prompt_tags (tag, prompt_id)
                    SELECT t.value, p.id FROM prompts p, json_each(p.tags) t
                    WHERE p.tags IS NOT NULL AND json_valid(p.tags) AND json_type(p.tags) = 'array' AND t.type = 'text';
                """,
            PostgresBefore: string.Empty,
            PostgresAfter: """
                CREATE INDEX ix_prompts_conversation_seq ON prompts (namespace, kind, conversation_id, seq);
                CREATE INDEX ix_prompts_user_seq ON prompts (namespace, kind, user_id, seq) WHERE user_id IS NOT NULL;
                CREATE INDEX ix_prompts_thread_key ON prompts (thread_key) WHERE thread_key IS NOT NULL;
                CREATE TABLE prompt_tags (
                    tag text NOT NULL,
                    prompt_id text NOT NULL,
                    PRIMARY KEY (tag, prompt_id));
                DO $$
                DECLARE r record;
                BEGIN
                    FOR r IN SELECT id, tags FROM prompts WHERE tags IS NOT NULL LOOP
                        BEGIN
                            INSERT INTO prompt_tags (tag, prompt_id)
                                SELECT t, r.id FROM jsonb_array_elements_text(r.tags::jsonb) t
                                ON CONFLICT DO NOTHING;
                        EXCEPTION WHEN others THEN
                            NULL; -- not a JSON array: the row keeps its tags, unindexed
                        END;
                    END LOOP;
                END $$;
                """),

        // 5: the time window every selecting verb takes (--since/--until, list's newest first): calls by their time
        // within a namespace and kind, and across namespaces (--all-namespaces).
        new(
            SqliteBefore: string.Empty,
            SqliteAfter: """
                CREATE INDEX ix_prompts_time ON prompts (namespace, kind, inference_on);
                CREATE INDEX ix_prompts_time_all ON prompts (inference_on);
                """,
            PostgresBefore: string.Empty,
            PostgresAfter: """
                CREATE INDEX ix_prompts_time ON prompts (namespace, kind, inference_on);
                CREATE INDEX ix_prompts_time_all ON prompts (inference_on);
                """),

        // 6: full-text search. Only the empty index and its high-water mark: rows are indexed lazily, before a search
        // (SearchIndex), never by a trigger on the write path, and opening a large database after the upgrade does
        // not wait for an index build. SQLite: an FTS5 index whose external content is a view of each prompt's text
        // (message and reply contents, text prompt and response). PostgreSQL: a tsvector per prompt in a table of its
        // own, under a GIN index, and an index on seq for the catch-up's range.
        new(
            SqliteBefore: string.Empty,
            SqliteAfter: $"""
                CREATE VIEW {SearchSchema.SqliteTextView} AS
                    SELECT rowid AS prompt_rowid,
                        coalesce({SearchSchema.SqliteJsonText("messages")}, '') || char(10) || coalesce(prompt, '') AS request,
                        coalesce({SearchSchema.SqliteJsonText("completions")}, '') || char(10) || coalesce(response, '') AS reply
                    FROM prompts;
                CREATE VIRTUAL TABLE {SearchSchema.SqliteIndex} USING fts5(
                    request, reply,
                    content = '{SearchSchema.SqliteTextView}', content_rowid = 'prompt_rowid',
                    tokenize = 'unicode61 remove_diacritics 2');
                CREATE TABLE {SearchSchema.StateTable} (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    high_water INTEGER NOT NULL,
                    high_water_id TEXT);
                INSERT INTO {SearchSchema.StateTable} (id, high_water) VALUES (1, 0);
                """,
            PostgresBefore: string.Empty,
            PostgresAfter: $"""
                CREATE INDEX ix_prompts_seq ON prompts (seq);
                CREATE TABLE {SearchSchema.PostgresIndex} (
                    seq bigint PRIMARY KEY,
                    document tsvector NOT NULL);
                CREATE INDEX ix_prompt_search_document ON {SearchSchema.PostgresIndex} USING gin (document);
                CREATE TABLE {SearchSchema.StateTable} (
                    id integer PRIMARY KEY CHECK (id = 1),
                    high_water bigint NOT NULL,
                    high_water_id text);
                INSERT INTO {SearchSchema.StateTable} (id, high_water) VALUES (1, 0);
                """),
    ];

    /// <summary>The number of versions: the version this build writes.</summary>
    public static int Count => All.Length;

    /// <summary>Each step's SQL for <paramref name="store"/>: element N-1 takes a database from version N-1 to N.</summary>
    public static string[] For(DatabaseKind store) => [.. All.Select((step, i) => Sql(step, i + 1, store))];

    private static string Sql(Step step, int version, DatabaseKind store)
    {
        var postgres = store == DatabaseKind.PostgreSql;
        var sql = new StringBuilder(postgres ? step.PostgresBefore : step.SqliteBefore).AppendLine();
        var columns = PromptColumns.AddedIn(version).Select(c => c.Definition(store)).ToList();
        if (version == 1)
        {
            // PostgreSQL's seq stands in for SQLite's rowid: insertion order, which exports sort by.
            var all = postgres ? columns.Prepend("seq bigint GENERATED ALWAYS AS IDENTITY") : columns;
            sql.Append("CREATE TABLE prompts (\n    ").AppendJoin(",\n    ", all).AppendLine(");");
        }
        else
        {
            foreach (var column in columns)
            {
                sql.Append("ALTER TABLE prompts ADD COLUMN ").Append(column).AppendLine(";");
            }
        }

        return sql.Append(postgres ? step.PostgresAfter : step.SqliteAfter).ToString();
    }

    private sealed record Step(string SqliteBefore, string SqliteAfter, string PostgresBefore, string PostgresAfter)
    {
        public static readonly Step ColumnsOnly = new(string.Empty, string.Empty, string.Empty, string.Empty);
    }
}
