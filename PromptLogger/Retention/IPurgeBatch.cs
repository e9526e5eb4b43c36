using System.Data.Common;

namespace PromptLogging.Retention;

/// <summary>One store's way of deleting a batch of prompts with everything that refers to them.</summary>
internal interface IPurgeBatch
{
    /// <summary>Starts a batch's transaction, with what keeps a search index catch-up out of it; null: give up now.</summary>
    DbTransaction? Begin(DbConnection connection);

    /// <summary>Deletes the prompts with these keys (a list of number literals), their tags and their index rows.</summary>
    void Delete(DbConnection connection, DbTransaction transaction, string keys);
}
