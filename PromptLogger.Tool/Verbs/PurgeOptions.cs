using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary><c>prompt-logger purge [filters] [--older-than AGE] [--dry-run] [--yes]</c>.</summary>
[Verb(Name, HelpText = "Delete the selected records, chat and text alike unless --type names one (with their search index entries and tags, and the models no record uses any more), then reclaim the space. Needs at least one selection flag.")]
internal sealed class PurgeOptions : SelectingOptions
{
    public const string Name = "purge";

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(0, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option("older-than", MetaValue = "AGE",
        HelpText = "Only calls made more than AGE ago (30d, 12h, 90m, 2w), or before a date or date-time (2026-01-31).")]
    public string? OlderThan { get; set; }

    [Option("dry-run", HelpText = "Print what would be deleted, and change nothing.")]
    public bool DryRun { get; set; }

    [Option('y', "yes", HelpText = "Delete without asking. Needed when standard input is not a terminal (scripts, cron).")]
    public bool Yes { get; set; }

    /// <summary>Shown by <c>purge --help</c>, one command a line, never wrapped.</summary>
    public static IReadOnlyList<(string What, string Command)> Examples =>
    [
        ("See what deleting the records older than 30 days would delete", "prompt-logger purge --older-than 30d --dry-run"),
        ("Delete them, from a script", "prompt-logger purge --older-than 30d --yes --database=sqlite:///my_prompts.db"),
        ("Delete one user's records (chat and text) in every namespace", "prompt-logger purge --all-namespaces --user u-7 --yes"),
        ("Delete only the text records of a namespace", "prompt-logger purge -n batch-jobs --type text --yes"),
    ];
}
