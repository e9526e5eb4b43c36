using Dapper;
using PromptLogging.Tool.Browsing;

namespace PromptLogging.Tool.Web.Api;

/// <summary>
/// The namespaces and model names for the filter form's choices, read without a scan: the namespaces one index seek
/// each (a loose index scan of (namespace, kind)), the models from the model registry, which is small.
/// </summary>
internal static class StoreNames
{
    public static IReadOnlyList<string> Namespaces(ReadSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return
        [
            .. session.Connection.Query<string>(
                "WITH RECURSIVE n(name) AS (SELECT min(namespace) FROM prompts " +
                "UNION ALL SELECT (SELECT min(namespace) FROM prompts WHERE namespace > n.name) FROM n WHERE n.name IS NOT NULL) " +
                "SELECT name FROM n WHERE name IS NOT NULL UNION SELECT namespace FROM models ORDER BY 1"),
        ];
    }

    public static IReadOnlyList<string> Models(ReadSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return [.. session.Connection.Query<string>("SELECT DISTINCT name FROM models WHERE name IS NOT NULL ORDER BY 1")];
    }
}
