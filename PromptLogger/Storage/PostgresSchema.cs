namespace PromptLogging.Storage;

/// <summary>
/// The PostgreSQL form of <see cref="Schema"/>: the same steps, so that a version number means the same tables and
/// columns in either store. Step N takes a database from version N-1 to N; the version is kept in the one row of
/// <c>promptlogger_schema</c>. Never edit a released step: add one, to both lists.
/// </summary>
/// <remarks>
/// Differences from SQLite, and why: a <c>seq</c> identity column stands in for SQLite's <c>rowid</c> as insertion
/// order, which exports sort by (an index on namespace, kind, seq keeps them streaming). JSON columns are
/// <c>text</c>, not <c>jsonb</c>: <c>jsonb</c> reorders keys and rewrites numbers and whitespace, and exports must
/// be byte-identical to SQLite's, copied out as stored. Times are <c>double precision</c>, as SQLite's REAL.
/// </remarks>
internal static class PostgresSchema
{
    public const string VersionTable = "promptlogger_schema";

    /// <summary>One key for every PromptLogger: migrations of one database take turns, whoever starts them.</summary>
    public const long MigrationLockKey = 0x50_72_6F_6D_70_74_4C_67; // "PromptLg"

    public static readonly string[] Steps =
    [
        // 1: the seed's data — models per namespace, one row per prompt with JSON columns.
        """
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
        CREATE TABLE prompts (
            seq bigint GENERATED ALWAYS AS IDENTITY,
            id text PRIMARY KEY,
            namespace text NOT NULL,
            kind text NOT NULL,
            model text,
            messages text,
            generation_kwargs text,
            completions text,
            prompt text,
            response text,
            inference_on double precision NOT NULL,
            inference_seconds double precision);
        CREATE INDEX ix_prompts_namespace_kind_seq ON prompts (namespace, kind, seq);
        """,

        // 2: what PromptLogger adds beyond the seed — provider, tools, usage, errors, streaming, tags.
        """
        ALTER TABLE prompts ADD COLUMN provider text;
        ALTER TABLE prompts ADD COLUMN tools text;
        ALTER TABLE prompts ADD COLUMN input_tokens bigint;
        ALTER TABLE prompts ADD COLUMN output_tokens bigint;
        ALTER TABLE prompts ADD COLUMN error text;
        ALTER TABLE prompts ADD COLUMN stream integer NOT NULL DEFAULT 0;
        ALTER TABLE prompts ADD COLUMN time_to_first_token_seconds double precision;
        ALTER TABLE prompts ADD COLUMN tags text;
        """,

        // 3: what answered and how a stream ended — the response's model, id and system fingerprint; stream_end.
        """
        ALTER TABLE prompts ADD COLUMN response_model text;
        ALTER TABLE prompts ADD COLUMN response_id text;
        ALTER TABLE prompts ADD COLUMN system_fingerprint text;
        ALTER TABLE prompts ADD COLUMN stream_end text;
        """,
    ];
}
