using System.Globalization;
using System.Text;
using Dapper;
using PromptLogging.Export;

namespace PromptLogging.Storage.Queries;

/// <summary>
/// The conditions of an <see cref="ExportFilter"/> on the <c>prompts</c> table (namespace, kind, models, conversation,
/// user, tags), for the reading verbs that query it themselves (<c>search</c>, <c>stats</c>); each backed by an index,
/// as the export's own.
/// </summary>
internal static class SelectionConditions
{
    /// <summary>Appends <c> AND …</c> for each condition on <paramref name="alias"/>'s columns, adding its parameters.</summary>
    /// <param name="sql">The query, whose WHERE clause is open.</param>
    /// <param name="filter">The selection.</param>
    /// <param name="kind">The record kind (<see cref="PromptRecord.ChatKind"/> or <see cref="PromptRecord.TextKind"/>).</param>
    /// <param name="alias">The alias of <c>prompts</c> in the query.</param>
    /// <param name="parameters">Where the parameters go (prefixed <c>f_</c>).</param>
    public static void Append(StringBuilder sql, ExportFilter filter, string kind, string alias, DynamicParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(parameters);
        sql.Append(" AND ").Append(alias).Append(".namespace = @f_namespace AND ").Append(alias).Append(".kind = @f_kind");
        parameters.Add("f_namespace", filter.Namespace);
        parameters.Add("f_kind", kind);
        if (filter.Models is { } models)
        {
            sql.Append(" AND ").Append(alias).Append(".model IN (");
            for (var i = 0; i < models.Count; i++)
            {
                var name = "f_m" + i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? "@" : ", @").Append(name);
                parameters.Add(name, models[i]);
            }

            sql.Append(')');
        }

        if (filter.ConversationId is { } conversation)
        {
            sql.Append(" AND ").Append(alias).Append(".conversation_id = @f_conversation");
            parameters.Add("f_conversation", conversation);
        }

        if (filter.UserId is { } user)
        {
            sql.Append(" AND ").Append(alias).Append(".user_id = @f_user");
            parameters.Add("f_user", user);
        }

        for (var i = 0; i < filter.Tags.Count; i++)
        {
            var name = "f_t" + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(" AND ").Append(alias).Append(".id IN (SELECT prompt_id FROM prompt_tags WHERE tag = @").Append(name).Append(')');
            parameters.Add(name, filter.Tags[i]);
        }
    }
}
