using System.Globalization;
using System.Text;
using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Tool.Browsing;
using PromptLogging.Tool.Rendering;
using PromptLogging.Tool.Verbs;
using PromptLogging.Tool.Web.Compare;

namespace PromptLogging.Tool.Compare;

/// <summary>Runs a checked <c>compare</c>: reads both namespaces read-only, pairs them, prints the comparison.</summary>
internal sealed class CompareRunner(ToolConsole console, OutputStyle style)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <param name="html">Where <c>--html</c> writes the page (<c>-</c>: standard output); null: no page.</param>
    public int Run(string database, ExportFilter filterA, string namespaceB, string? pricesFile, bool json, string? html = null)
    {
        ArgumentNullException.ThrowIfNull(filterA);
        try
        {
            var prices = PriceTable.WithUserFile(pricesFile);
            Comparison comparison;
            ExportDestination? destination = null;
            string shownDatabase;
            using (var session = ReadSession.Open(database))
            {
                // Where the page goes is checked before the reading, as report does: the database itself, a missing folder, a folder.
                if (html == ExportRequest.StandardOutput)
                {
                    ExportDestination.RefuseStandardOutputIfOwnFile(session.Store);
                }
                else if (html is not null)
                {
                    destination = ExportDestination.Resolve(session.Store, html);
                }

                shownDatabase = session.Store.Url.Redacted;
                comparison = Comparison.Run(session.Connection, filterA, namespaceB, prices);
            }

            if (comparison.Pairs.Count == 0)
            {
                console.WriteError(WhyNoPairs(comparison));
                return ExitCode.Failure;
            }

            if (html is not null)
            {
                var bytes = Utf8.GetBytes(CompareFileBuilder.Build(comparison, shownDatabase, filterA, DateTimeOffset.UtcNow));
                if (destination is null)
                {
                    console.Data.Write(bytes);
                    console.Data.Flush();
                }
                else
                {
                    ReportRunner.WriteFile(destination, html, bytes);
                }

                console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Wrote a comparison of {comparison.Pairs.Count} pair{(comparison.Pairs.Count == 1 ? string.Empty : "s")} to {(destination is null ? "standard output" : html)}"));
            }
            else if (json)
            {
                CompareView.WriteJson(console.Data, comparison);
            }
            else
            {
                CompareView.Write(console.Out, style, comparison);
            }

            var unpaired = comparison.RecordsA - comparison.Pairs.Count;
            if (unpaired > 0)
            {
                console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{unpaired} of the {comparison.RecordsA} selected records of '{comparison.NamespaceA}' have no counterpart in '{comparison.NamespaceB}'."));
            }

            return ExitCode.Success;
        }
        catch (InvalidDataException exception)
        {
            console.WriteError(exception.Message);
            return ExitCode.Failure;
        }
        catch (Exception exception) when (FailureMessage.Describe(exception) is { } message)
        {
            console.WriteError(message);
            return ExitCode.Failure;
        }
    }

    /// <summary>Why a comparison has no pairs, as the CLI and the web page say it.</summary>
    internal static string WhyNoPairs(Comparison comparison) =>
        comparison.RecordsA == 0
            ? $"nothing to compare: namespace '{comparison.NamespaceA}' holds no chat records that the filters select."
            : comparison.RecordsB == 0
                ? $"nothing to compare: namespace '{comparison.NamespaceB}' holds no chat records."
                : string.Create(CultureInfo.InvariantCulture,
                    $"nothing to compare: none of the {comparison.RecordsB} records of '{comparison.NamespaceB}' is a replay of (or replayed by) the {comparison.RecordsA} selected records of '{comparison.NamespaceA}', and none has the same messages as one of them.");
}
