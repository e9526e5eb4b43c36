using PromptLogging.Interception;
using PromptLogging.Interception.Calls;

namespace PromptLogging;

public sealed partial class PromptLogger
{
    /// <summary>Records one prompt and its response as a text prompt (<c>save_interaction</c> of the Python prompt-logger package).</summary>
    /// <param name="prompt">The prompt sent to the model.</param>
    /// <param name="response">The model's response.</param>
    /// <param name="namespace">The namespace to store it under; default the logger's.</param>
    /// <param name="model">The model that answered, when known; it is registered in the namespace on first use.</param>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> or <paramref name="response"/> is null.</exception>
    /// <remarks>Returns at once; the record is stored by the background writer (see <see cref="Flush()"/>).</remarks>
    public void SaveInteraction(string prompt, string response, string? @namespace = null, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(response);
        Record(new CapturedCall(new CallRequest { Kind = CallKind.Text, Model = model, Prompt = prompt })
        {
            Namespace = @namespace,
            Outcome = new CallOutcome { Response = response },
            StartedAt = DateTimeOffset.UtcNow,
        });
    }

    /// <summary>
    /// Wraps <paramref name="generate"/> so that every call is recorded as a text prompt: the prompt, the
    /// response and the duration (the <c>@capture</c> decorator of the Python prompt-logger package).
    /// </summary>
    /// <param name="generate">The function that asks a model.</param>
    /// <returns>A function that calls <paramref name="generate"/>, records the call and returns its result.</returns>
    /// <remarks>An exception from <paramref name="generate"/> is recorded as the call's error and rethrown unchanged.</remarks>
    public Func<string, string> Capture(Func<string, string> generate)
    {
        ArgumentNullException.ThrowIfNull(generate);
        return prompt =>
        {
            var timer = CallTimer.Start();
            string response;
            try
            {
                response = generate(prompt);
            }
            catch (Exception exception)
            {
                RecordText(prompt, null, exception, timer);
                throw;
            }

            RecordText(prompt, response, null, timer);
            return response;
        };
    }

    /// <summary>
    /// Wraps the asynchronous <paramref name="generate"/> so that every call is recorded as a text prompt: the
    /// prompt, the response and the duration until the task completed.
    /// </summary>
    /// <param name="generate">The function that asks a model.</param>
    /// <returns>A function that awaits <paramref name="generate"/>, records the call and returns its result.</returns>
    /// <remarks>
    /// An exception or cancellation from <paramref name="generate"/> is recorded as the call's error and reaches
    /// the caller unchanged.
    /// </remarks>
    public Func<string, Task<string>> Capture(Func<string, Task<string>> generate)
    {
        ArgumentNullException.ThrowIfNull(generate);
        return async prompt =>
        {
            var timer = CallTimer.Start();
            string response;
            try
            {
                response = await generate(prompt).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                await RecordTextAsync(prompt, null, exception, timer).ConfigureAwait(false);
                throw;
            }

            await RecordTextAsync(prompt, response, null, timer).ConfigureAwait(false);
            return response;
        };
    }

    private async ValueTask RecordTextAsync(string? prompt, string? response, Exception? exception, CallTimer timer)
    {
        if (!RecordingMayWait)
        {
            RecordText(prompt, response, exception, timer);
            return;
        }

        try
        {
            // Awaited: Immediate durability (or WhenFull.Wait) must not block a thread of an asynchronous caller.
            await RecordAsync(TextCall(prompt, response, exception, timer)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Recording must never change what the caller of the model sees.
        catch (Exception recordingFailure)
#pragma warning restore CA1031
        {
            ReportRecordingFailure(recordingFailure);
        }
    }

    private void RecordText(string? prompt, string? response, Exception? exception, CallTimer timer)
    {
        try
        {
            Record(TextCall(prompt, response, exception, timer));
        }
#pragma warning disable CA1031 // Recording must never change what the caller of the model sees.
        catch (Exception recordingFailure)
#pragma warning restore CA1031
        {
            ReportRecordingFailure(recordingFailure);
        }
    }

    private static CapturedCall TextCall(string? prompt, string? response, Exception? exception, CallTimer timer) =>
        new(new CallRequest { Kind = CallKind.Text, Prompt = prompt })
    {
        Outcome = response is null ? null : new CallOutcome { Response = response },
        Error = exception is null ? null : ErrorText.Describe(exception),
        StartedAt = timer.StartedAt,
        Duration = timer.Elapsed,
    };
}
