using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PromptLogging.Browsing;
using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Tool.Browsing;
using PromptLogging.Tool.Web.Assets;
using PromptLogging.Tool.Web.Overview;

namespace PromptLogging.Tool.Web.Report;

/// <summary>
/// Makes the one-file report of a selection: its overview and its newest records, rendered by
/// <see cref="ReportPage"/> with every embedded style inlined and allowed by its hash in the page's
/// Content-Security-Policy, which lets nothing else load (no script, font, image, frame or connection).
/// </summary>
internal static class ReportBuilder
{
    /// <summary>The most characters of a user message, or of a reply, a row shows.</summary>
    public const int TextShown = 300;

    /// <summary>The whole document (<c>&lt;!DOCTYPE html&gt;</c> first), and what it shows.</summary>
    /// <param name="session">A read-only session on the store.</param>
    /// <param name="filter">Which records.</param>
    /// <param name="prices">Prices the calls.</param>
    /// <param name="limit">The most records listed, newest first.</param>
    /// <param name="now">When the report is made.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public static (string Html, ReportModel Model) Build(ReadSession session, ExportFilter filter, PriceTable prices, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var overview = OverviewQuery.Load(session, filter, prices, cancellationToken);
        var rows = overview.IsEmpty ? [] : RecordQueries.Newest(session.Connection, session.Store, filter, limit).Select(r => Row(r, prices)).ToList();
        var css = Styles();
        var model = new ReportModel(
            session.Store.Url.Redacted,
            ReportSelection.Describe(filter),
            now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            overview,
            rows,
            limit,
            css,
            Policy(css));
        var html = ComponentHtml.RenderAsync<ReportPage>(new Dictionary<string, object?> { [nameof(ReportPage.Model)] = model })
            .GetAwaiter().GetResult();
        return ("<!DOCTYPE html>\n" + html + "\n", model);
    }

    /// <summary>
    /// Every embedded style sheet (the web UI's and the report's own), in name order: the page's one style element.
    /// </summary>
    internal static string Styles()
    {
        var css = string.Join("\n", WebAssets.Names.Where(n => n.EndsWith(".css", StringComparison.Ordinal)).Select(WebAssets.ReadText));
        // A style element ends at the first "</style": an asset holding one would end it early (they are ours; checked anyway).
        return css.Contains("</style", StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException("an embedded style sheet contains </style; it cannot be inlined in the report.")
            : css;
    }

    /// <summary>
    /// Nothing from anywhere: no script at all, no font, image, frame, form target or connection, and only the one
    /// style element whose text has this hash.
    /// </summary>
    internal static string Policy(string css)
    {
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(css)));
        return $"default-src 'none'; style-src 'sha256-{hash}'; img-src 'none'; base-uri 'none'; form-action 'none'";
    }

    private static ReportRow Row(StoredRecord record, PriceTable prices) => new(
        Display.Time(record.Time),
        TerminalText.Escape(record.Id),
        TerminalText.Escape(record.Namespace),
        record.Model is null ? "-" : TerminalText.Escape(record.Model),
        Display.Seconds(record.InferenceSeconds),
        Display.Tokens(record.InputTokens, record.OutputTokens),
        OverviewFormat.Cost(record.Cost(prices)),
        Shown(Display.LastUserText(record.Messages, record.Prompt)),
        Shown(Display.ReplyText(record.Completions, record.Response, record.Error)),
        record.Error is not null);

    private static string Shown(string text) => TerminalText.Cut(TerminalText.Escape(text).Trim(), TextShown);
}
