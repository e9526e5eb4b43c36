using Microsoft.Extensions.Logging;

namespace PromptLogging.Diagnostics;

/// <summary>What the background retention reports.</summary>
internal static partial class Log
{
    [LoggerMessage(50, LogLevel.Information, "PromptLogger retention deleted {Records} records older than {Keep} from namespace {Namespace} of {Path} ({Models} models no longer used).")]
    public static partial void RetentionPurged(ILogger logger, long records, TimeSpan keep, string @namespace, string path, long models);

    [LoggerMessage(51, LogLevel.Warning, "PromptLogger retention could not delete old records from {Path}; it tries again in {Delay}.")]
    public static partial void RetentionFailed(ILogger logger, Exception exception, string path, TimeSpan delay);
}
