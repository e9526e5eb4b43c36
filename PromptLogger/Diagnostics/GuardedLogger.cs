using Microsoft.Extensions.Logging;

namespace PromptLogging.Diagnostics;

/// <summary>
/// The application's <see cref="ILogger"/>, with its failures kept from PromptLogger: a log sink that throws must not
/// end the background writer (its messages are written from inside the writer's own error handling), nor turn a
/// <c>Flush</c> that timed out into an exception. What the sink fails to take is lost, as a log line would be.
/// </summary>
internal sealed class GuardedLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        try
        {
            return inner.BeginScope(state);
        }
#pragma warning disable CA1031 // The application's logger failing is not PromptLogger's failure to report.
        catch
#pragma warning restore CA1031
        {
            return null;
        }
    }

    public bool IsEnabled(LogLevel logLevel)
    {
        try
        {
            return inner.IsEnabled(logLevel);
        }
#pragma warning disable CA1031 // As above.
        catch
#pragma warning restore CA1031
        {
            return false;
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
#pragma warning disable CA1031 // As above.
        catch
#pragma warning restore CA1031
        {
        }
    }
}
