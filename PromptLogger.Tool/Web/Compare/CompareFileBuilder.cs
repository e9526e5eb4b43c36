using System.Globalization;
using PromptLogging.Export;
using PromptLogging.Tool.Compare;
using PromptLogging.Tool.Web.Report;

namespace PromptLogging.Tool.Web.Compare;

/// <summary>
/// The self-contained page of <c>compare --html</c>: <see cref="CompareFile"/> rendered to a string with the report's
/// inlined styles and Content-Security-Policy (<see cref="ReportBuilder.Styles"/>, <see cref="ReportBuilder.Policy"/>).
/// </summary>
internal static class CompareFileBuilder
{
    /// <summary>The whole document, <c>&lt;!DOCTYPE html&gt;</c> first.</summary>
    public static string Build(Comparison comparison, string database, ExportFilter filterA, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var css = ReportBuilder.Styles();
        // The namespace is the page's heading; the rest of the selection is listed.
        var selection = ReportSelection.Describe(filterA).Where(p => p.Key is not ("Namespace" or "Type")).ToList();
        var html = ComponentHtml.RenderAsync<CompareFile>(new Dictionary<string, object?>
        {
            [nameof(CompareFile.Comparison)] = comparison,
            [nameof(CompareFile.Database)] = database,
            [nameof(CompareFile.Selection)] = selection,
            [nameof(CompareFile.GeneratedAt)] = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            [nameof(CompareFile.Css)] = css,
            [nameof(CompareFile.ContentSecurityPolicy)] = ReportBuilder.Policy(css),
        }).GetAwaiter().GetResult();
        return "<!DOCTYPE html>\n" + html + "\n";
    }
}
