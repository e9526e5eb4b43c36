using PromptLogging.Tool.Web.Overview;

namespace PromptLogging.Tool.Web.Report;

/// <summary>Everything one report file shows.</summary>
/// <param name="Database">The database, its password masked.</param>
/// <param name="Selection">The selection's flags as (name, value) pairs, in the order the CLI lists them.</param>
/// <param name="GeneratedAt">When the report was made, UTC.</param>
/// <param name="Overview">The overview of the selection.</param>
/// <param name="Rows">The newest records of the selection, newest first.</param>
/// <param name="Limit">The most records listed (<c>--limit</c>).</param>
/// <param name="Css">The styles, inlined in the page's one style element.</param>
/// <param name="ContentSecurityPolicy">The page's policy: nothing loads but its own style element.</param>
public sealed record ReportModel(
    string Database,
    IReadOnlyList<KeyValuePair<string, string>> Selection,
    string GeneratedAt,
    OverviewData Overview,
    IReadOnlyList<ReportRow> Rows,
    int Limit,
    string Css,
    string ContentSecurityPolicy);
