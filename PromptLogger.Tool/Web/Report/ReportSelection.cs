using System.Globalization;
using PromptLogging.Export;

namespace PromptLogging.Tool.Web.Report;

/// <summary>A selection (<see cref="ExportFilter"/>) as the report's header names it: one (flag, value) pair a condition.</summary>
internal static class ReportSelection
{
    public static IReadOnlyList<KeyValuePair<string, string>> Describe(ExportFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var pairs = new List<KeyValuePair<string, string>>
        {
            new("Namespace", filter.Namespace is null ? "all namespaces" : TerminalText.Escape(filter.Namespace)),
            new("Type", filter.Kind),
            new("Models", filter.Models is null ? "all" : string.Join(", ", filter.Models.Select(m => TerminalText.Escape(m)))),
        };
        if (filter.Since is { } since)
        {
            pairs.Add(new("Since", Time(since)));
        }

        if (filter.Until is { } until)
        {
            pairs.Add(new("Until", Time(until)));
        }

        if (filter.ConversationId is { } conversation)
        {
            pairs.Add(new("Conversation", TerminalText.Escape(conversation)));
        }

        if (filter.UserId is { } user)
        {
            pairs.Add(new("User", TerminalText.Escape(user)));
        }

        if (filter.Tags.Count > 0)
        {
            pairs.Add(new("Tags", string.Join(", ", filter.Tags.Select(t => TerminalText.Escape(t)))));
        }

        if (filter.Errors is { } errors)
        {
            pairs.Add(new("Errors", errors ? "failed calls only" : "calls without an error only"));
        }

        return pairs;
    }

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
