using PromptLogging.Export;
using PromptLogging.Storage;

namespace PromptLogging.Tool.Verbs;

/// <summary>Runs a checked <c>export</c>: data to the output, the summary and any failure to standard error.</summary>
internal sealed class ExportRunner(ToolConsole console)
{
    public int Run(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            // Read-only all the way: StoreExport opens the file (or a read-only session) and never creates a
            // database or its tables.
            var store = PromptStore.Create(DatabaseUrl.Parse(request.Database));
            var count = request.ToStandardOutput
                ? StoreExport.ToStream(store, request.Kind, request.Filter, console.Data)
                : StoreExport.ToFile(store, request.Kind, request.Filter, request.Output);
            console.Error.WriteLine(Summary(request, count));
            return ExitCode.Success;
        }
        catch (Exception exception) when (FailureMessage.Describe(exception) is { } message)
        {
            console.WriteError(message);
            return ExitCode.Failure;
        }
    }

    private static string Summary(ExportRequest request, int count)
    {
        var noun = count == 1 ? request.Noun[..^1] : request.Noun;
        var output = request.ToStandardOutput ? "standard output" : request.Output;
        return $"Exported {count} {noun} to {output}";
    }
}
