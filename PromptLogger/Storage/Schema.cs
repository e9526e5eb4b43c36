namespace PromptLogging.Storage;

/// <summary>
/// The database schema, as the list of steps that build it. Step N takes a database from version N-1 to N;
/// the version is kept in <c>PRAGMA user_version</c>. Never edit a released step: add one.
/// </summary>
internal static class Schema
{
    /// <summary>The version this build writes.</summary>
    public static int CurrentVersion => Steps.Length;

    public static readonly string[] Steps =
    [
        // 1: the seed's data — models per namespace, one row per prompt with JSON columns.
        """
        CREATE TABLE models (
            id TEXT PRIMARY KEY,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            version TEXT,
            provider TEXT,
            description TEXT,
            created REAL NOT NULL,
            UNIQUE (namespace, name));
        CREATE TABLE prompts (
            id TEXT PRIMARY KEY,
            namespace TEXT NOT NULL,
            kind TEXT NOT NULL,
            model TEXT,
            messages TEXT,
            generation_kwargs TEXT,
            completions TEXT,
            prompt TEXT,
            response TEXT,
            inference_on REAL NOT NULL,
            inference_seconds REAL);
        CREATE INDEX ix_prompts_namespace_kind ON prompts (namespace, kind);
        """,

        // 2: what PromptLogger adds beyond the seed — provider, tools, usage, errors, streaming, tags.
        """
        ALTER TABLE prompts ADD COLUMN provider TEXT;
        ALTER TABLE prompts ADD COLUMN tools TEXT;
        ALTER TABLE prompts ADD COLUMN input_tokens INTEGER;
        ALTER TABLE prompts ADD COLUMN output_tokens INTEGER;
        ALTER TABLE prompts ADD COLUMN error TEXT;
        ALTER TABLE prompts ADD COLUMN stream INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE prompts ADD COLUMN time_to_first_token_seconds REAL;
        ALTER TABLE prompts ADD COLUMN tags TEXT;
        """,

        // 3: what answered and how a stream ended — the response's model, id and system fingerprint; stream_end.
        """
        ALTER TABLE prompts ADD COLUMN response_model TEXT;
        ALTER TABLE prompts ADD COLUMN response_id TEXT;
        ALTER TABLE prompts ADD COLUMN system_fingerprint TEXT;
        ALTER TABLE prompts ADD COLUMN stream_end TEXT;
        """,
    ];
}
