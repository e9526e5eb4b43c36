using System.Data.Common;
using Dapper;
using PromptLogging.Storage.Search;

namespace PromptLogging.Retention;

/// <summary>
/// PostgreSQL: deletes a batch with its <c>prompt_search</c> rows, holding the lock a search index catch-up holds
/// while it runs (<see cref="SearchIndex.CatchUpLockKey"/>), so that no catch-up indexes a prompt this batch deletes.
/// </summary>
/// <remarks>
/// <c>seq</c> values are never given twice, so the high-water mark needs no care: every seq up to it is indexed or
/// gone, and a deleted one is gone with its index row.
/// </remarks>
/// <param name="wait">Wait for a catch-up in progress (true), or give up at once (false).</param>
internal sealed class PostgresPurgeBatch(bool wait) : IPurgeBatch
{
    public DbTransaction? Begin(DbConnection connection)
    {
        var transaction = connection.BeginTransaction();
        try
        {
            var locked = connection.ExecuteScalar<bool>(
                wait ? "SELECT pg_advisory_xact_lock(@key) IS NOT NULL" : "SELECT pg_try_advisory_xact_lock(@key)",
                new { key = SearchIndex.CatchUpLockKey },
                transaction);
            if (locked)
            {
                return transaction;
            }

            transaction.Rollback();
            transaction.Dispose();
            return null;
        }
        catch
        {
            transaction.Dispose();
            throw;
        }
    }

    public void Delete(DbConnection connection, DbTransaction transaction, string keys)
    {
        connection.Execute($"DELETE FROM {SearchSchema.PostgresIndex} WHERE seq IN ({keys})", transaction: transaction);
        connection.Execute($"DELETE FROM prompt_tags WHERE prompt_id IN (SELECT id FROM prompts WHERE seq IN ({keys}))", transaction: transaction);
        connection.Execute($"DELETE FROM prompts WHERE seq IN ({keys})", transaction: transaction);
    }
}
