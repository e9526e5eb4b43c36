namespace PromptLogging.Tool;

/// <summary>The exit statuses of <c>prompt-logger</c>, as scripts see them.</summary>
internal static class ExitCode
{
    /// <summary>The work was done.</summary>
    public const int Success = 0;

    /// <summary>
    /// The command was understood but the work failed: a missing or unreadable database, a malformed database URL,
    /// an output that cannot be written.
    /// </summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: an unknown verb or option, a missing or invalid argument.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl-C (SIGINT): 128 + 2, as shells report a process that SIGINT ended.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM: 128 + 15.</summary>
    public const int Terminated = 143;
}
