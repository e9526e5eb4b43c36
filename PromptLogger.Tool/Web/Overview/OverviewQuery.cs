using Dapper;
using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Tool.Browsing;

namespace PromptLogging.Tool.Web.Overview;

/// <summary>PLACEHOLDER (the overview helper's version replaces it at merge): reads the overview of a selection.</summary>
internal static class OverviewQuery
{
    internal static OverviewData Load(ReadSession session, ExportFilter filter, PriceTable prices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(prices);
        cancellationToken.ThrowIfCancellationRequested();
        var sql = new System.Text.StringBuilder("SELECT count(*) FROM prompts");
        var parameters = new List<KeyValuePair<string, string>>();
        FilterSql.AppendWhere(sql, filter, parameters);
        return new OverviewData(session.Connection.ExecuteScalar<long>(sql.ToString(), FilterSql.ToDapper(parameters)));
    }
}
