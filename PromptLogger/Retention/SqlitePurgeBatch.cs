using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Storage.Search;

namespace PromptLogging.Retention;

/// <summary>
/// SQLite: deletes a batch under the write lock (BEGIN IMMEDIATE, which a search index catch-up takes too), removing
/// each prompt from the FTS5 index before its row goes and keeping the index's high-water mark true.
/// </summary>
/// <remarks>
/// <para>
/// The index has external content (the view <see cref="SearchSchema.SqliteTextView"/>): FTS5 forgets a row only when
/// told the text it indexed, which the view still gives while the prompt exists. Only prompts at or below the mark
/// are in the index; telling it to forget one it never held would damage it.
/// </para>
/// <para>
/// The mark is a rowid and the id of the prompt there (<see cref="SearchIndex"/>). SQLite gives a new row the largest
/// rowid plus one, so deleting the newest prompts frees their rowids for the next ones: a mark left above them would
/// skip those new prompts, and a mark whose row is gone makes the next search rebuild the whole index. When the row
/// at the mark is deleted, the mark moves down to the last prompt left below it (whose text is indexed): every
/// prompt above it, old or new, is indexed by the next catch-up, once.
/// </para>
/// </remarks>
internal sealed class SqlitePurgeBatch : IPurgeBatch
{
    public DbTransaction Begin(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public void Delete(DbConnection connection, DbTransaction transaction, string keys)
    {
        var (highWater, highWaterId) = connection.QuerySingle<(long, string?)>(
            $"SELECT high_water, high_water_id FROM {SearchSchema.StateTable} WHERE id = 1", transaction: transaction);
        // A mark whose row has another id is not trusted: the next catch-up empties and rebuilds the index anyway.
        var trusted = highWater > 0 &&
            connection.ExecuteScalar<string?>("SELECT id FROM prompts WHERE rowid = @highWater", new { highWater }, transaction) == highWaterId;
        if (trusted)
        {
            connection.Execute(
                $"INSERT INTO {SearchSchema.SqliteIndex} ({SearchSchema.SqliteIndex}, rowid, request, reply) " +
                $"SELECT 'delete', prompt_rowid, request, reply FROM {SearchSchema.SqliteTextView} " +
                $"WHERE prompt_rowid IN ({keys}) AND prompt_rowid <= @highWater",
                new { highWater },
                transaction);
        }

        connection.Execute($"DELETE FROM prompt_tags WHERE prompt_id IN (SELECT id FROM prompts WHERE rowid IN ({keys}))", transaction: transaction);
        connection.Execute($"DELETE FROM prompts WHERE rowid IN ({keys})", transaction: transaction);
        if (trusted && connection.ExecuteScalar<long>("SELECT count(*) FROM prompts WHERE rowid = @highWater", new { highWater }, transaction) == 0)
        {
            connection.Execute(
                $"UPDATE {SearchSchema.StateTable} SET high_water = coalesce((SELECT max(rowid) FROM prompts WHERE rowid <= @highWater), 0), " +
                "high_water_id = (SELECT id FROM prompts WHERE rowid = (SELECT max(rowid) FROM prompts WHERE rowid <= @highWater)) WHERE id = 1",
                new { highWater },
                transaction);
        }
    }
}
