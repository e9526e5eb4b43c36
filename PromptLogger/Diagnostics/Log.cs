using Microsoft.Extensions.Logging;

namespace PromptLogging.Diagnostics;

/// <summary>Every message PromptLogger reports about itself, in one place (source-generated, allocation-free when off).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "PromptLogger dropped {Count} records in the last {Interval}: its write queue or memory budget was full, the logger was disposed, or a record could not be converted. See Diagnostics.Dropped; WhenFull = Wait makes callers wait instead.")]
    public static partial void RecordsDropped(ILogger logger, long count, TimeSpan interval);

    [LoggerMessage(10, LogLevel.Error, "PromptLogger could neither write nor spool {Count} records (spool file {SpoolFile}); they are held in memory ({Bytes} bytes buffered) and retried until the database or the spool takes them.")]
    public static partial void HoldingInMemory(ILogger logger, Exception exception, int count, string spoolFile, long bytes);

    [LoggerMessage(11, LogLevel.Information, "PromptLogger stored {Count} records it held in memory.")]
    public static partial void HeldRecordsWritten(ILogger logger, long count);

    [LoggerMessage(12, LogLevel.Error, "PromptLogger dropped {Count} records held in memory at disposal: neither the database nor the spool took them within {Timeout}.")]
    public static partial void HeldRecordsLost(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(13, LogLevel.Warning, "PromptLogger returned from an Immediate call after {Timeout} before its record was committed or spooled; the record stays in memory ({Held} records held) and is written when the database or the spool takes writes again.")]
    public static partial void ImmediateTimedOut(ILogger logger, TimeSpan timeout, long held);

    [LoggerMessage(14, LogLevel.Warning, "PromptLogger Flush gave up after {Timeout}: {Pending} records still pending (queued, being written or held in memory), {Held} of them held in memory; they are still being stored.")]
    public static partial void FlushTimedOut(ILogger logger, TimeSpan timeout, long pending, long held);

    [LoggerMessage(2, LogLevel.Error, "PromptLogger could not convert a captured call into a record; it was dropped.")]
    public static partial void ConversionFailed(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "PromptLogger could not write to {Path}; {Count} records were spooled to {SpoolFile} and the database will be tried again in {Delay}.")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception, string path, int count, string spoolFile, TimeSpan delay);

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

    [LoggerMessage(15, LogLevel.Warning, "A PromptLoggingChatClient (UsePromptLogger) with its own namespace, tags or metadata sits over a client this logger records already; its calls are recorded once, further in, without them. Give the namespace, tags and metadata to the inner recorder, or remove one of the two.")]
    public static partial void PipelineSettingsUnused(ILogger logger);

    [LoggerMessage(40, LogLevel.Warning, "PromptLogger exported to {Output}, but {Rejected}")]
    public static partial void ExportLeftOutInvalidJson(ILogger logger, string output, string rejected);
}
