using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary><c>prompt-logger list [filters] [--limit N] [--json] [--follow]</c>.</summary>
[Verb(Name, HelpText = "List the newest records, one line each: time, id, namespace, model, duration, tokens, cost, the last user message and the reply.")]
internal sealed class ListOptions : SelectingOptions
{
    public const string Name = "list";

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(0, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option("limit", Default = 20, MetaValue = "N", HelpText = "How many records, newest first.")]
    public int Limit { get; set; } = 20;

    [Option("json", HelpText = "The records as JSONL lines in the export's format (newest first), for scripts.")]
    public bool Json { get; set; }

    [Option("follow", HelpText = "After the newest records, keep printing new ones as they are stored, until Ctrl-C.")]
    public bool Follow { get; set; }

    [Option("prices", MetaValue = "FILE", HelpText = "A JSON price file adding to or overriding the built-in prices.")]
    public string? Prices { get; set; }

    /// <summary>Shown by <c>list --help</c>, one command a line, never wrapped.</summary>
    public static IReadOnlyList<(string What, string Command)> Examples =>
    [
        ("The 20 newest chat prompts of the default namespace", "prompt-logger list"),
        ("The failed calls of the last 24 hours, in every namespace", "prompt-logger list --all-namespaces --since=24h --errors"),
        ("Watch new calls to gpt-4.1 as they are recorded", "prompt-logger list --follow -m gpt-4.1 --database=sqlite:///my_prompts.db"),
    ];
}
