using System.Data.Common;
using System.Text;
using Dapper;
using PromptLogging.Export;

namespace PromptLogging.Browsing;

/// <summary>What a database holds: its namespaces and models with counts and first and last use.</summary>
internal static class StoreContents
{
    /// <summary>A namespace or a model: how many records, and when the first and the last call was made.</summary>
    public sealed class Group
    {
        public string Namespace { get; set; } = string.Empty;

        public string? Model { get; set; }

        public long Prompts { get; set; }

        public double? FirstUse { get; set; }

        public double? LastUse { get; set; }
    }

    /// <summary>Every namespace with prompts or models, by name.</summary>
    public static IReadOnlyList<Group> Namespaces(DbConnection connection) =>
    [
        .. connection.Query<Group>(
            "SELECT n.namespace AS Namespace, count(p.namespace) AS Prompts, min(p.inference_on) AS FirstUse, max(p.inference_on) AS LastUse " +
            "FROM (SELECT namespace FROM prompts UNION SELECT namespace FROM models) n " +
            "LEFT JOIN prompts p ON p.namespace = n.namespace GROUP BY n.namespace ORDER BY n.namespace"),
    ];

    /// <summary>Every model the filter's namespace (or every namespace) used, by namespace and name; both kinds of prompts.</summary>
    public static IReadOnlyList<Group> Models(DbConnection connection, string? @namespace)
    {
        var sql = new StringBuilder(
            "SELECT namespace AS Namespace, model AS Model, count(*) AS Prompts, min(inference_on) AS FirstUse, max(inference_on) AS LastUse " +
            "FROM prompts WHERE model IS NOT NULL");
        var parameters = new List<KeyValuePair<string, string>>();
        if (@namespace is not null)
        {
            sql.Append(" AND namespace = @namespace");
            parameters.Add(new("namespace", @namespace));
        }

        sql.Append(" GROUP BY namespace, model ORDER BY namespace, model");
        return [.. connection.Query<Group>(sql.ToString(), FilterSql.ToDapper(parameters))];
    }

    /// <summary>The namespaces and model names a database holds, for the message of an export that matched nothing.</summary>
    public static (IReadOnlyList<string> Namespaces, IReadOnlyList<string> Models) Names(DbConnection connection) =>
    (
        [.. connection.Query<string>("SELECT DISTINCT namespace FROM prompts UNION SELECT namespace FROM models ORDER BY 1")],
        [.. connection.Query<string>("SELECT DISTINCT model FROM prompts WHERE model IS NOT NULL UNION SELECT name FROM models ORDER BY 1")]
    );
}
