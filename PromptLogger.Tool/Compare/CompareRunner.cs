using System.Globalization;
using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Tool.Browsing;
using PromptLogging.Tool.Rendering;

namespace PromptLogging.Tool.Compare;

/// <summary>Runs a checked <c>compare</c>: reads both namespaces read-only, pairs them, prints the comparison.</summary>
internal sealed class CompareRunner(ToolConsole console, OutputStyle style)
{
    public int Run(string database, ExportFilter filterA, string namespaceB, string? pricesFile, bool json)
    {
        ArgumentNullException.ThrowIfNull(filterA);
        try
        {
            var prices = PriceTable.WithUserFile(pricesFile);
            Comparison comparison;
            using (var session = ReadSession.Open(database))
            {
                comparison = Comparison.Run(session.Connection, filterA, namespaceB, prices);
            }

            if (comparison.Pairs.Count == 0)
            {
                console.WriteError(WhyNoPairs(comparison));
                return ExitCode.Failure;
            }

            if (json)
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

    private static string WhyNoPairs(Comparison comparison) =>
        comparison.RecordsA == 0
            ? $"nothing to compare: namespace '{comparison.NamespaceA}' holds no chat records that the filters select."
            : comparison.RecordsB == 0
                ? $"nothing to compare: namespace '{comparison.NamespaceB}' holds no chat records."
                : string.Create(CultureInfo.InvariantCulture,
                    $"nothing to compare: none of the {comparison.RecordsB} records of '{comparison.NamespaceB}' is a replay of (or replayed by) the {comparison.RecordsA} selected records of '{comparison.NamespaceA}', and none has the same messages as one of them.");
}
