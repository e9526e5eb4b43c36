namespace PromptLogging.Storage;

/// <summary>
/// The PostgreSQL form of <see cref="Schema"/>: the same steps (<see cref="SchemaSteps"/>, columns from
/// <see cref="PromptColumns"/>), so that a version number means the same tables and columns in either store. Step N
/// takes a database from version N-1 to N; the version is kept in the one row of <c>promptlogger_schema</c>.
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

    public static readonly string[] Steps = SchemaSteps.For(DatabaseKind.PostgreSql);
}
