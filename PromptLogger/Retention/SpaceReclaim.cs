using System.Data.Common;
using Dapper;
using PromptLogging.Storage;
using PromptLogging.Storage.Search;

namespace PromptLogging.Retention;

/// <summary>
/// Gives the space of deleted prompts back after a purge. SQLite: <c>PRAGMA incremental_vacuum</c> when the file was
/// made with <c>auto_vacuum = INCREMENTAL</c>, else <c>VACUUM</c> (a rewrite of the file, which needs as much free
/// disk again and the write lock meanwhile); then a WAL checkpoint that truncates the <c>-wal</c> file, so the file
/// on disk shrinks now. PostgreSQL: <c>VACUUM</c> of the tables a purge deletes from, which makes the space reusable
/// (the files shrink only at their end; <c>VACUUM FULL</c>, which locks the tables, is left to the administrator).
/// </summary>
internal static class SpaceReclaim
{
    /// <summary>Reclaims the space; the connection must be in no transaction.</summary>
    /// <returns>What was run, for the user: <c>VACUUM</c>, <c>incremental_vacuum</c>.</returns>
    public static string Run(DbConnection connection, DatabaseKind store)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (store == DatabaseKind.PostgreSql)
        {
            connection.Execute($"VACUUM prompts, {SearchSchema.PostgresIndex}, prompt_tags, models");
            return "VACUUM";
        }

        // 2: INCREMENTAL. PromptLogger creates files with SQLite's default (NONE), so VACUUM is the usual way.
        var incremental = connection.ExecuteScalar<long>("PRAGMA auto_vacuum") == 2;
        connection.Execute(incremental ? "PRAGMA incremental_vacuum" : "VACUUM");
        connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        return incremental ? "incremental_vacuum" : "VACUUM";
    }
}
