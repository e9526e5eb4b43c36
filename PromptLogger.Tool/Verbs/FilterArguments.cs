using PromptLogging.Export;
using PromptLogging.Storage;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// Checks the selection flags of a command line (<see cref="IFilterOptions"/>) and turns them into the
/// <see cref="ExportFilter"/> every verb queries with. A problem is a usage error: one line, exit 2.
/// </summary>
internal static class FilterArguments
{
    public const string AllModels = "all";

    private const string Chat = "chat";
    private const string Text = "text";

    /// <summary>Reads the filter; <paramref name="problem"/> says what is wrong when it returns null.</summary>
    /// <param name="args">The whole command line, for the repeated <c>-m</c> and <c>--tag</c>.</param>
    /// <param name="options">What the parser read.</param>
    /// <param name="now">What relative times count back from.</param>
    /// <param name="problem">The usage problem, or null.</param>
    public static ExportFilter? Read(IReadOnlyList<string> args, IFilterOptions options, DateTimeOffset now, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        var modelValues = RepeatedOption.Values(args, "models", 'm');
        var rawModels = modelValues.Count == 0 ? [options.Models] : modelValues;
        var tags = RepeatedOption.Values(args, RepeatedOption.TagName);
        if (tags.Count == 0 && options.Tag is not null)
        {
            tags = [options.Tag];
        }

        problem = CheckNamespace(args, options)
            ?? CheckModels(rawModels)
            ?? CheckType(options.Type)
            ?? CheckContext(options, tags)
            ?? (options.Errors && options.NoErrors ? "--errors and --no-errors contradict each other; give one." : null);
        if (problem is not null)
        {
            return null;
        }

        var since = ReadTime("--since", options.Since, now, upperBound: false, ref problem);
        var until = ReadTime("--until", options.Until, now, upperBound: true, ref problem);
        if (problem is not null)
        {
            return null;
        }

        if (since is not null && until is not null && since >= until)
        {
            problem = $"--since {options.Since} is not before --until {options.Until}; nothing could match.";
            return null;
        }

        var models = rawModels.SelectMany(raw => raw.Split(',')).Select(m => m.Trim()).ToList();
        var filter = ExportFilter.Create(options.AllNamespaces ? null : options.Namespace, models, options.Conversation, options.User, tags);
        return filter with
        {
            Kind = options.Type == Text ? PromptRecord.TextKind : PromptRecord.ChatKind,
            Since = since,
            Until = until,
            Errors = options.Errors ? true : options.NoErrors ? false : null,
        };
    }

    private static string? CheckNamespace(IReadOnlyList<string> args, IFilterOptions options)
    {
        if (options.AllNamespaces && RepeatedOption.Given(args, "namespace", 'n'))
        {
            return "--namespace and --all-namespaces contradict each other; give one.";
        }

        return string.IsNullOrWhiteSpace(options.Namespace) ? "--namespace is empty; give a namespace such as default." : null;
    }

    // Silently reading "--models ''" or "--models a,,b" as "every model" would select more than was asked for.
    private static string? CheckModels(IReadOnlyList<string> raws) =>
        raws.FirstOrDefault(raw => raw.Split(',').Any(name => string.IsNullOrWhiteSpace(name))) is { } bad
            ? $"--models '{bad}' names an empty model; give model names separated by commas, or all."
            : null;

    private static string? CheckType(string? type) =>
        type is null or Chat or Text ? null : $"--type must be chat or text, not '{type}'.";

    /// <summary><c>--conversation</c>, <c>--user</c> and <c>--tag</c> with an empty value would silently select everything, or nothing.</summary>
    private static string? CheckContext(IFilterOptions options, IReadOnlyList<string> tags) =>
        options.Conversation?.Length == 0 ? "--conversation is empty; give a conversation id."
        : options.User?.Length == 0 ? "--user is empty; give a user id."
        : tags.Any(string.IsNullOrEmpty) ? "--tag is empty; give a tag."
        : null;

    private static DateTimeOffset? ReadTime(string flag, string? text, DateTimeOffset now, bool upperBound, ref string? problem)
    {
        if (text is null || problem is not null)
        {
            return null;
        }

        var time = TimeArgument.Parse(text, now, upperBound);
        if (time is null)
        {
            problem = $"{flag} '{text}' is not a time; give an ISO 8601 date or date-time (2026-01-31, 2026-01-31T09:30, " +
                      "2026-01-31T09:30+02:00) or a time ago (90m, 24h, 7d).";
        }

        return time;
    }
}
