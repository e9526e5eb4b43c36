using System.Text;
using PromptLogging.Export;
using PromptLogging.Files;
using PromptLogging.Pricing;
using PromptLogging.Tool.Browsing;
using PromptLogging.Tool.Web.Report;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// Runs a checked <c>report</c>: reads the selection read-only, writes one HTML file whole (as an export replaces its
/// output: beside it, then renamed over it; never the database) or to standard output, a summary to standard error.
/// </summary>
internal sealed class ReportRunner(ToolConsole console, Interruption? interruption = null)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public int Run(string database, string output, ExportFilter filter, int limit, string? pricesFile)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var cancellationToken = interruption?.Observe() ?? CancellationToken.None;
        var toStandardOutput = output == ExportRequest.StandardOutput;
        try
        {
            var prices = PriceTable.WithUserFile(pricesFile);
            using var session = ReadSession.Open(database);
            // Where it goes is checked before the reading: the database itself, a missing folder, a folder.
            ExportDestination? destination = null;
            if (toStandardOutput)
            {
                ExportDestination.RefuseStandardOutputIfOwnFile(session.Store);
            }
            else
            {
                destination = ExportDestination.Resolve(session.Store, output);
            }

            var (html, model) = ReportBuilder.Build(session, filter, prices, limit, DateTimeOffset.UtcNow, cancellationToken);
            var bytes = Utf8.GetBytes(html);
            if (destination is null)
            {
                console.Data.Write(bytes);
                console.Data.Flush();
            }
            else
            {
                WriteFile(destination, output, bytes);
            }

            var records = model.Overview.Totals.Calls;
            console.Error.WriteLine(
                $"Wrote a report of {records} record{(records == 1 ? string.Empty : "s")} ({model.Rows.Count} listed) to {(toStandardOutput ? "standard output" : output)}");
            if (model.Overview.IsEmpty)
            {
                console.WriteWarning(ExportRunner.WhatIsThere(session.Store, filter));
            }

            return ExitCode.Success;
        }
        catch (OperationCanceledException) when (interruption is { Signal: not null })
        {
            console.WriteError($"report interrupted by {interruption.SignalName}; {(toStandardOutput ? "standard output got nothing or part of it" : $"{output} was not written")}.");
            return interruption.ExitCode;
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

    /// <summary>Writes a page whole, owner-only, as an export replaces its output (beside it, then renamed over it).</summary>
    internal static void WriteFile(ExportDestination destination, string output, byte[] bytes)
    {
        try
        {
            // Owner-only, as the database PromptLogger creates: the report quotes the stored prompts.
            using var file = destination.Open(OwnerOnlyFile.Mode);
            file.Stream.Write(bytes);
            file.Commit();
        }
        catch (IOException exception) when (exception is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"cannot write '{output}': {exception.Message}", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new UnauthorizedAccessException($"cannot write '{output}': {exception.Message}", exception);
        }
    }
}
