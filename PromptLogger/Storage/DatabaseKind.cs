namespace PromptLogging.Storage;

/// <summary>Which database server, or file, a <see cref="DatabaseUrl"/> names.</summary>
internal enum DatabaseKind
{
    Sqlite,
    PostgreSql,
}
