using Microsoft.Extensions.Logging;

namespace PromptLogging.Diagnostics;

/// <summary>Every message PromptLogger reports about itself, in one place (source-generated, allocation-free when off).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "PromptLogger dropped a record: its write queue is full or the logger is disposed.")]
    public static partial void RecordDropped(ILogger logger);

    [LoggerMessage(2, LogLevel.Error, "PromptLogger could not convert a captured call into a record; it was dropped.")]
    public static partial void ConversionFailed(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "PromptLogger could not write to {Path}; {Count} records were spooled to {SpoolFile} and the database will be tried again in {Delay}.")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception, string path, int count, string spoolFile, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Error, "PromptLogger could neither write nor spool {Count} records (spool file {SpoolFile}); they were dropped.")]
    public static partial void SpoolFailed(ILogger logger, Exception exception, int count, string spoolFile);

    [LoggerMessage(7, LogLevel.Information, "PromptLogger replayed {Count} spooled records into {Path}.")]
    public static partial void SpoolReplayed(ILogger logger, int count, string path);

    [LoggerMessage(8, LogLevel.Warning, "PromptLogger could not replay its spool into {Path} yet; trying again in {Delay}.")]
    public static partial void ReplayFailed(ILogger logger, Exception exception, string path, TimeSpan delay);

    [LoggerMessage(9, LogLevel.Warning, "PromptLogger could not open {Path} now; records will be spooled beside it until it can.")]
    public static partial void StoreNotOpened(ILogger logger, Exception exception, string path);

    [LoggerMessage(5, LogLevel.Error, "PromptLogger could not record a call; the call itself was not affected.")]
    public static partial void RecordingFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "PromptLogger could not store its last records at process exit.")]
    public static partial void ProcessExitFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(40, LogLevel.Warning, "PromptLogger exported to {Output}, but {Rejected}")]
    public static partial void ExportLeftOutInvalidJson(ILogger logger, string output, string rejected);
}
