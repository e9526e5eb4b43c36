using PromptLogging.Browsing;
using PromptLogging.Export;
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
                ? StoreExport.ToStream(store, request.Kind, request.Filter, console.Data, prices, progress, cancellationToken)
                : StoreExport.WriteFile(store, request.Kind, request.Filter, request.Output, prices, progress, cancellationToken);
            progress?.Dispose();
            console.Error.WriteLine(Summary(request, summary.Count));
            if (summary.Count == 0)
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

    private static string Summary(ExportRequest request, int count)
    {
        var noun = count == 1 ? request.Noun[..^1] : request.Noun;
        var output = request.ToStandardOutput ? "standard output" : request.Output;
        return $"Exported {count} {noun} to {output}";
    }
}
