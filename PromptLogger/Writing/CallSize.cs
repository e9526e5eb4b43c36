using PromptLogging.Interception;

namespace PromptLogging.Writing;

/// <summary>
/// A cheap estimate of the memory a captured call takes while it waits for the writer, and of its record after:
/// the text it carries (messages, completions, tool calls' arguments, tool descriptions; two bytes a character) plus a
/// fixed overhead. Reads only lengths, so it costs a few nanoseconds a message on the caller's thread.
/// </summary>
internal static class CallSize
{
    /// <summary>Objects, ids, timings and JSON framing of one record, whatever its text.</summary>
    public const long Overhead = 1024;

    public static long Estimate(CapturedCall call)
    {
        var request = call.Request;
        var outcome = call.Outcome;
        // What a snapshot or a kept reply body holds is not read yet: their lengths stand for it.
        long chars = Length(request.Prompt) + Length(outcome?.Response) + Length(call.Error) + request.SnapshotLength + call.RetainedLength;
        var messages = request.Messages;
        for (var i = 0; i < messages.Count; i++)
        {
            chars += Length(messages[i].Content) + Length(messages[i].ToolCalls);
        }

        IReadOnlyList<CapturedCompletion> completions = outcome?.Completions ?? [];
        for (var i = 0; i < completions.Count; i++)
        {
            chars += Length(completions[i].Content) + Length(completions[i].ToolCalls);
        }

        // Tool definitions: their names and descriptions (a schema's JSON is not measured, which would cost a
        // serialization on the caller's thread; descriptions are what grows).
        var tools = request.Tools;
        for (var i = 0; i < tools.Count; i++)
        {
            chars += Length(tools[i].Name) + Length(tools[i].Description);
        }

        return Overhead + (2 * chars);
    }

    // An agent's records are mostly tool calls: their arguments count as much as a message's content.
    private static long Length(IReadOnlyList<CapturedToolCall>? calls)
    {
        if (calls is null)
        {
            return 0;
        }

        long chars = 0;
        for (var i = 0; i < calls.Count; i++)
        {
            chars += Length(calls[i].Arguments) + Length(calls[i].Name) + Length(calls[i].Id);
        }

        return chars;
    }

    private static long Length(string? text) => text?.Length ?? 0;
}
