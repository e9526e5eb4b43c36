using PromptLogging.Export;
using PromptLogging.Storage;

namespace PromptLogging.Tool.Verbs;

/// <summary>A checked <c>purge</c> command line: what to delete, where, and whether to ask first.</summary>
/// <param name="Database">The database URL.</param>
/// <param name="Filter">What to delete.</param>
/// <param name="DryRun">Only say what would be deleted.</param>
/// <param name="Confirm">Ask on the terminal before deleting (no <c>--yes</c>, standard input a terminal).</param>
/// <param name="Kinds">The record kinds to delete: chat and text, or the one <c>--type</c> names.</param>
internal sealed record PurgeRequest(string Database, ExportFilter Filter, bool DryRun, bool Confirm, IReadOnlyList<string> Kinds)
{
    /// <summary>The selection flags of which at least one must be given: without one, purge would empty a namespace by accident.</summary>
    private static readonly (string Long, char? Short)[] SelectionFlags =
    [
        ("namespace", 'n'), ("older-than", null), ("since", null), ("until", null), ("conversation", null), ("user", null),
        (RepeatedOption.TagName, null), ("models", 'm'), ("errors", null),
    ];

    /// <summary>Checks the command line; <paramref name="problem"/> is the usage error when it returns false.</summary>
    /// <param name="args">The whole command line.</param>
    /// <param name="options">What the parser read.</param>
    /// <param name="now">What <c>--older-than</c> and relative times count back from.</param>
    /// <param name="inputIsTerminal">Whether a person at a terminal can confirm.</param>
    /// <param name="request">The request, when it returns true.</param>
    /// <param name="problem">The usage problem, when it returns false.</param>
    public static bool TryCreate(string[] args, PurgeOptions options, DateTimeOffset now, bool inputIsTerminal, out PurgeRequest request, out string problem)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        request = null!;
        var found = MissingOptionValue.Find(args, typeof(PurgeOptions))
            ?? (options.Unexpected.FirstOrDefault() is { } extra ? $"unexpected argument '{extra}'; purge takes no arguments, only options." : null)
            ?? (SelectionFlags.Any(f => RepeatedOption.Given(args, f.Long, f.Short))
                ? null
                : "purge needs at least one selection flag (-n, --older-than, --since, --until, --conversation, --user, --tag, -m, --errors), " +
                  "so that it never deletes everything by accident; to empty a namespace, name it with -n NS.")
            ?? (options.OlderThan is not null && options.Until is not null ? "--older-than and --until both set where the records end; give one." : null);
        var filter = found is null ? FilterArguments.Read(args, options, now, out found) : null;
        if (found is null && options.OlderThan is { } age)
        {
            if (TimeArgument.Parse(age, now, upperBound: false) is { } before)
            {
                filter = filter! with { Until = before };
                if (filter.Since is { } since && since >= before)
                {
                    found = $"--since {options.Since} is not before --older-than {age}; nothing could match.";
                }
            }
            else
            {
                found = $"--older-than '{age}' is not an age; give a time ago (30d, 12h, 90m, 2w) or an ISO 8601 date or date-time (2026-01-31, 2026-01-31T09:30).";
            }
        }

        if (found is null && !options.DryRun && !options.Yes && !inputIsTerminal)
        {
            found = "purge deletes records, and standard input is not a terminal where it could ask; add --yes to delete without asking, or --dry-run to see what would be deleted.";
        }

        if (found is not null)
        {
            problem = found;
            return false;
        }

        problem = string.Empty;
        request = new PurgeRequest(options.Database, filter!, options.DryRun, Confirm: !options.DryRun && !options.Yes,
            Kinds: options.Type is null ? [PromptRecord.ChatKind, PromptRecord.TextKind] : [filter!.Kind]);
        return true;
    }
}
