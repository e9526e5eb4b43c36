using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Stats;
using PromptLogging.Storage;
using PromptLogging.Tool.Rendering;

namespace PromptLogging.Tool.Verbs;

/// <summary>Runs a checked <c>stats</c>: reads the selection read-only, prints a table or JSONL.</summary>
internal sealed class StatsRunner(ToolConsole console, OutputStyle style)
{
    public int Run(string database, ExportFilter filter, string kind, StatsGrouping grouping, string? pricesFile, bool json)
    {
        ArgumentNullException.ThrowIfNull(filter);
        try
        {
            var prices = PriceTable.WithUserFile(pricesFile);
            var store = PromptStore.Create(DatabaseUrl.Parse(database));
            using (var connection = store.OpenForReading())
            {
                store.EnsureReadable(connection);
            }

            var groups = PromptStats.Run(store.OpenForReading, store.Url.Kind, filter, kind, grouping, prices);
            if (json)
            {
                StatsView.WriteJson(console.Data, grouping, groups);
            }
            else
            {
                StatsView.Write(console.Out, style, grouping, groups);
            }

            if (groups.Count == 0)
            {
                console.Error.WriteLine($"No prompts in namespace '{filter.Namespace}' match.");
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
}
