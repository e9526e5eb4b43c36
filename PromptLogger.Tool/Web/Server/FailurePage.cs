using Microsoft.AspNetCore.Http;

namespace PromptLogging.Tool.Web.Server;

/// <summary>
/// A request that fails (the database became unreadable, a bug) answers 500 with the one-line reason (passwords
/// masked), and the reason goes to standard error once; the server goes on serving.
/// </summary>
internal sealed class FailurePage(RequestDelegate next, FailureLog failures)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The browser went away: nobody to answer.
        }
#pragma warning disable CA1031 // Every failure of one request is reported, and the server serves the next one.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var message = Storage.DatabaseUrl.RedactText(FailureMessage.Describe(exception) ?? $"unexpected {exception.GetType().Name}: {exception.Message}");
            failures.Report($"{context.Request.Path}: {message}");
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"The server could not answer: {message}\n", context.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
