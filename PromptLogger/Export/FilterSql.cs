using System.Globalization;
using System.Text;
using Dapper;

namespace PromptLogging.Export;

/// <summary>
/// An <see cref="ExportFilter"/> as SQL conditions on <c>prompts</c>, the same on SQLite and PostgreSQL: every value a
/// <c>@name</c> parameter bound as text (times cast to a number in the SQL), each condition backed by an index —
/// (namespace, kind, inference_on) for the time window, (namespace, kind, conversation_id), (namespace, kind, user_id),
/// and <c>prompt_tags</c>' (tag, prompt_id).
/// </summary>
internal static class FilterSql
{
    /// <summary>
    /// Appends <c> WHERE kind = @kind AND …</c> for every condition of <paramref name="filter"/>, adding its parameters.
    /// </summary>
    /// <param name="sql">The query so far, ending with its FROM clause.</param>
    /// <param name="filter">What to select.</param>
    /// <param name="parameters">Receives the parameters the conditions name.</param>
    /// <param name="alias">The prompts table's alias in the query, with its dot (<c>p.</c>), or empty.</param>
    public static void AppendWhere(StringBuilder sql, ExportFilter filter, List<KeyValuePair<string, string>> parameters, string alias = "")
    {
        ArgumentNullException.ThrowIfNull(sql);
        sql.Append(" WHERE ");
        AppendConditions(sql, filter, parameters, alias, filter.Kind);
    }

    /// <summary>
    /// As <see cref="AppendWhere"/>, for a query whose WHERE clause is open already: appends <c> AND kind = @kind AND …</c>,
    /// with <paramref name="kind"/> the record kind to select.
    /// </summary>
    public static void AppendAnd(StringBuilder sql, ExportFilter filter, string kind, DynamicParameters parameters, string alias = "")
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        var conditions = new List<KeyValuePair<string, string>>();
        sql.Append(" AND ");
        AppendConditions(sql, filter, conditions, alias, kind);
        parameters.AddDynamicParams(ToDapper(conditions));
    }

    private static void AppendConditions(StringBuilder sql, ExportFilter filter, List<KeyValuePair<string, string>> parameters, string alias, string kind)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(parameters);
        sql.Append(alias).Append("kind = @kind");
        parameters.Add(new("kind", kind));
        if (filter.Namespace is { } @namespace)
        {
            sql.Append(" AND ").Append(alias).Append("namespace = @namespace");
            parameters.Add(new("namespace", @namespace));
        }

        AppendIn(sql, alias + "model", filter.Models, parameters);
        if (filter.Since is { } since)
        {
            sql.Append(" AND ").Append(alias).Append("inference_on >= CAST(@since AS double precision)");
            parameters.Add(new("since", Seconds(since)));
        }

        if (filter.Until is { } until)
        {
            sql.Append(" AND ").Append(alias).Append("inference_on < CAST(@until AS double precision)");
            parameters.Add(new("until", Seconds(until)));
        }

        if (filter.Errors is { } errors)
        {
            sql.Append(" AND ").Append(alias).Append(errors ? "error IS NOT NULL" : "error IS NULL");
        }

        if (filter.ConversationId is { } conversation)
        {
            sql.Append(" AND ").Append(alias).Append("conversation_id = @conversation");
            parameters.Add(new("conversation", conversation));
        }

        if (filter.UserId is { } user)
        {
            sql.Append(" AND ").Append(alias).Append("user_id = @user");
            parameters.Add(new("user", user));
        }

        for (var i = 0; i < filter.Tags.Count; i++)
        {
            var name = "t" + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(" AND ").Append(alias).Append("id IN (SELECT prompt_id FROM prompt_tags WHERE tag = @").Append(name).Append(')');
            parameters.Add(new(name, filter.Tags[i]));
        }
    }

    /// <summary>Appends <c> AND column IN (@m0, @m1, …)</c> when <paramref name="values"/> restricts the selection.</summary>
    public static void AppendIn(StringBuilder sql, string column, IReadOnlyList<string>? values, List<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        if (values is null)
        {
            return;
        }

        sql.Append(" AND ").Append(column).Append(" IN (");
        for (var i = 0; i < values.Count; i++)
        {
            var name = "m" + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "@" : ", @").Append(name);
            parameters.Add(new(name, values[i]));
        }

        sql.Append(')');
    }

    /// <summary>The same parameters for Dapper.</summary>
    public static DynamicParameters ToDapper(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var dapper = new DynamicParameters();
        foreach (var (name, value) in parameters)
        {
            dapper.Add(name, value);
        }

        return dapper;
    }

    /// <summary>Unix seconds as the stores keep <c>inference_on</c>, as text that round-trips.</summary>
    public static string Seconds(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000.0).ToString("R", CultureInfo.InvariantCulture);
}
