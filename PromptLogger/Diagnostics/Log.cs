using Microsoft.Extensions.Logging;

namespace PromptLogging.Diagnostics;

/// <summary>Every message PromptLogger reports about itself, in one place (source-generated, allocation-free when off).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "PromptLogger dropped a record: its write queue is full or the logger is disposed.")]
    public static partial void RecordDropped(ILogger logger);

    [LoggerMessage(2, LogLevel.Error, "PromptLogger could not convert a captured call into a record; it was dropped.")]
    public static partial void ConversionFailed(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "PromptLogger could not write a batch of {Count} records (attempt {Attempt}); retrying.")]
    public static partial void BatchRetrying(ILogger logger, Exception exception, int count, int attempt);

    [LoggerMessage(4, LogLevel.Error, "PromptLogger could not write a batch of {Count} records to {Path}; they were dropped.")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int count, string path);

    [LoggerMessage(5, LogLevel.Error, "PromptLogger could not record a call; the call itself was not affected.")]
    public static partial void RecordingFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "PromptLogger could not store its last records at process exit.")]
    public static partial void ProcessExitFlushFailed(ILogger logger, Exception exception);
}
