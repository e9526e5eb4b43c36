using System.Data.Common;
using Dapper;
using PromptLogging.Storage;

namespace PromptLogging.Import;

/// <summary>
/// Stores imported models with their own ids, versions, descriptions and times, one transaction a batch; a model
/// already stored (its id, or its name in its namespace) is left as it is. The same SQL on both stores.
/// </summary>
/// <remarks>
/// Imported before the prompts that use them: the batch inserter registers a model it has not seen under a new id,
/// and would then keep that one.
/// </remarks>
internal static class ModelWriter
{
    private const string InsertSql = """
        INSERT INTO models (id, namespace, name, version, provider, description, created)
        VALUES (@Id, @Namespace, @Name, @Version, @Provider, @Description, @Created)
        ON CONFLICT DO NOTHING
        """;

    /// <returns>How many were new.</returns>
    public static int Insert(DbConnection connection, IReadOnlyList<ModelRecord> models)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0)
        {
            return 0;
        }

        using var transaction = connection.BeginTransaction();
        var inserted = connection.Execute(InsertSql, models, transaction);
        transaction.Commit();
        return inserted;
    }
}
