using PromptLogging.Export;
using PromptLogging.Storage;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// The selection flags of <c>search</c> and <c>stats</c> (namespace, models, conversation, user, tags, type), checked
/// into an <see cref="ExportFilter"/> and a record kind. To be replaced by the filter every selecting verb shares.
/// </summary>
internal static class SelectionArguments
{
    /// <returns>The problem, for a usage error; null when <paramref name="filter"/> and <paramref name="kind"/> are set.</returns>
    public static string? TryRead(
        string @namespace,
        string models,
        string? conversation,
        string? user,
        IReadOnlyList<string> tags,
        string? type,
        out ExportFilter? filter,
        out string kind)
    {
        filter = null;
        kind = PromptRecord.ChatKind;
        if (string.IsNullOrWhiteSpace(@namespace))
        {
            return "--namespace is empty; give a namespace such as default.";
        }

        var names = (models ?? string.Empty).Split(',').Select(name => name.Trim()).ToArray();
        if (names.Any(string.IsNullOrEmpty))
        {
            return $"--models '{models}' names an empty model; give model names separated by commas, or all.";
        }

        switch (type)
        {
            case null or "chat":
                kind = PromptRecord.ChatKind;
                break;
            case "text":
                kind = PromptRecord.TextKind;
                break;
            default:
                return $"--type must be chat or text, not '{type}'.";
        }

        if (conversation?.Length == 0)
        {
            return "--conversation is empty; give a conversation id.";
        }

        if (user?.Length == 0)
        {
            return "--user is empty; give a user id.";
        }

        if (tags.Any(string.IsNullOrEmpty))
        {
            return "--tag is empty; give a tag.";
        }

        filter = ExportFilter.Create(@namespace, names, conversation, user, tags);
        return null;
    }
}
