using PromptLogging.Browsing;
using PromptLogging.Pricing;
using PromptLogging.Tool.Web.Api;

namespace PromptLogging.Tool.Web.Pages;

/// <summary>A conversation as one thread: each call with the messages it added and its reply.</summary>
/// <param name="Id">The conversation id.</param>
/// <param name="Namespace">The namespace it was looked up in; empty for every namespace.</param>
/// <param name="Calls">Its calls, oldest first.</param>
/// <param name="Truncated">Whether it has more calls than shown.</param>
public sealed record ConversationView(string Id, string Namespace, IReadOnlyList<ConversationCall> Calls, bool Truncated);

/// <summary>One call of a conversation: its line, the messages the earlier calls had not sent, its reply.</summary>
public sealed record ConversationCall(RecordRow Row, IReadOnlyList<ChatMessageView> NewMessages, IReadOnlyList<ChatMessageView> Replies)
{
    /// <summary>
    /// The thread: a call usually re-sends the conversation so far (earlier messages and replies) and adds to it; only
    /// what it adds is shown. A call that does not start with what came before is shown whole.
    /// </summary>
    internal static IReadOnlyList<ConversationCall> Thread(IEnumerable<StoredRecord> records, PriceTable prices)
    {
        var calls = new List<ConversationCall>();
        IReadOnlyList<string> before = [];
        foreach (var record in records)
        {
            var messages = ChatMessageView.ListFrom(record.Messages, "?");
            var replies = ChatMessageView.ListFrom(record.Completions, "assistant");
            var repeated = Repeated(messages, before);
            calls.Add(new ConversationCall(RecordRow.From(record, prices), [.. messages.Skip(repeated)], replies));
            before = [.. messages.Select(Key), .. replies.Take(1).Select(Key)];
        }

        return calls;
    }

    /// <summary>How many of <paramref name="messages"/> the call before sent or received already; 0 when it does not continue it.</summary>
    private static int Repeated(IReadOnlyList<ChatMessageView> messages, IReadOnlyList<string> before)
    {
        var count = 0;
        while (count < before.Count && count < messages.Count && Key(messages[count]) == before[count])
        {
            count++;
        }

        // Everything before, or everything but the reply (re-sent in another shape): a continuation.
        return count > 0 && count >= before.Count - 1 ? count : 0;
    }

    // A reply is stored with its finish reason and re-sent without it: messages are compared by role, text and calls.
    private static string Key(ChatMessageView message) =>
        $"{message.Role}\u0000{message.Text}\u0000{string.Join('\u0001', message.ToolCalls.Select(c => c.Id + "\u0002" + c.Name + "\u0002" + c.Arguments))}";
}
