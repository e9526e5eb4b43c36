using PromptLogging.Interception;

namespace PromptLogging.Writing;

/// <summary>
/// A cheap estimate of the memory a captured call takes while it waits for the writer, and of its record after:
/// the text it carries (two bytes a character) plus a fixed overhead. Reads only lengths, so it costs a few
/// nanoseconds a message on the caller's thread.
/// </summary>
internal static class CallSize
{
    /// <summary>Objects, ids, timings and JSON framing of one record, whatever its text.</summary>
    public const long Overhead = 1024;

    public static long Estimate(CapturedCall call)
    {
        long chars = Length(call.Prompt) + Length(call.Response) + Length(call.Error);
        var messages = call.Messages;
        for (var i = 0; i < messages.Count; i++)
        {
            chars += Length(messages[i].Content);
        }

        var completions = call.Completions;
        for (var i = 0; i < completions.Count; i++)
        {
            chars += Length(completions[i].Content);
        }

        return Overhead + (2 * chars);
    }

    private static long Length(string? text) => text?.Length ?? 0;
}
