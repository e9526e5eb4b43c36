using Microsoft.Extensions.Logging;

namespace PromptLogging.Diagnostics;

/// <summary>What the spool reports about folders and files it will not trust.</summary>
internal static partial class Log
{
    [LoggerMessage(30, LogLevel.Warning, "PromptLogger ignored the spool file {Path} and did not replay it into the database: {Reason}. If you trust it, import it with 'prompt-logger import'.")]
    public static partial void SpoolFileIgnored(ILogger logger, string path, string reason);

    [LoggerMessage(31, LogLevel.Error, "{Reason}")]
    public static partial void SpoolFolderUnusable(ILogger logger, string reason);
}
