using PromptLogging.Browsing;
using PromptLogging.Export;
using PromptLogging.Export.Formats;
using PromptLogging.Pricing;
using PromptLogging.Storage;

namespace PromptLogging.Tool.Verbs;

/// <summary>Runs a checked <c>export</c>: data to the output, the summary and any failure to standard error.</summary>
internal sealed class ExportRunner(ToolConsole console, Interruption? interruption = null)
{
    public int Run(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cancellationToken = interruption?.Observe() ?? CancellationToken.None;
        try
        {
            // Read-only all the way: StoreExport opens the file (or a read-only session) and never creates a
            // database or its tables.
            var store = PromptStore.Create(DatabaseUrl.Parse(request.Database));
            if (request.ToStandardOutput)
            {
                ExportDestination.RefuseStandardOutputIfOwnFile(store);
            }

            var prices = PriceTable.WithUserFile(request.Prices);
            using var progress = TerminalProgress.For(console, "exporting", request.Noun);
            var summary = request.ToStandardOutput
                ? StoreExport.ToStream(store, request.Kind, request.Filter, request.Format, console.Data, prices, progress, cancellationToken)
                : StoreExport.WriteFile(store, request.Kind, request.Filter, request.Format, request.Output, prices, progress, cancellationToken);
            progress?.Dispose();
            console.Error.WriteLine(Summary(request, summary));
            if (summary.LeftOut > 0)
            {
                console.Error.WriteLine(
                    $"Left out {Records(summary.LeftOut)} that failed or have no reply (a fine-tuning example ends with the recorded reply).");
            }

            if (summary.Duplicates > 0)
            {
                console.Error.WriteLine($"Dropped {summary.Duplicates} duplicate example{(summary.Duplicates == 1 ? string.Empty : "s")} (--dedupe).");
            }

            if (summary.StalePart is { } stale)
            {
                console.WriteWarning($"{stale} is left from an earlier export and is not part of this one; remove it before uploading the parts.");
            }

            if (summary.Count == 0 && summary.LeftOut == 0 && summary.Duplicates == 0)
            {
                console.WriteWarning(WhatIsThere(store, request.Filter));
            }

            if (summary.RejectedDescription is { } rejected)
            {
                console.WriteWarning(rejected);
            }

            return ExitCode.Success;
        }
        catch (OperationCanceledException) when (interruption is { Signal: not null })
        {
            console.WriteError(request.ToStandardOutput
                ? $"export interrupted by {interruption.SignalName}; standard output got part of the export only."
                : $"export interrupted by {interruption.SignalName}; {request.Output} was not replaced and the partial export was removed.");
            return interruption.ExitCode;
        }
        catch (Exception exception) when (FailureMessage.Describe(exception) is { } message)
        {
            console.WriteError(message);
            return ExitCode.Failure;
        }
    }

    /// <summary>For an export that matched nothing: the namespaces and models the database does hold.</summary>
    internal static string WhatIsThere(PromptStore store, ExportFilter filter)
    {
        using var connection = store.OpenForReading();
        var (namespaces, models) = StoreContents.Names(connection);
        var asked = filter.Namespace is null ? "any namespace" : $"namespace '{filter.Namespace}'";
        return namespaces.Count == 0
            ? "nothing matched: the database holds no records yet."
            : $"nothing matched in {asked}; the database holds namespaces: {List(namespaces)}; models: {List(models)}.";
    }

    private static string List(IReadOnlyList<string> names)
    {
        const int Shown = 20;
        if (names.Count == 0)
        {
            return "none";
        }

        var shown = string.Join(", ", names.Take(Shown));
        return names.Count > Shown ? $"{shown} (and {names.Count - Shown} more)" : shown;
    }

    private static string Summary(ExportRequest request, ExportSummary summary)
    {
        var count = summary.Count;
        var noun = count == 1 ? request.Noun[..^1] : request.Noun;
        var output = request.ToStandardOutput ? "standard output"
            : summary.Files.Count > 1 ? $"{summary.Files.Count} files: {string.Join(", ", summary.Files)}"
            : request.Output;
        var format = request.Format.Format == ExportFormat.Jsonl ? string.Empty : $" as {ExportFormatNames.NameOf(request.Format.Format)}";
        return $"Exported {count} {noun}{format} to {output}";
    }

    private static string Records(int count) => count == 1 ? "1 record" : $"{count} records";
}
