using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary><c>prompt-logger show ID [--json]</c>.</summary>
[Verb(Name, HelpText = "Show one record in full: messages by role, tool calls, reply, usage, timing, cost and context.")]
internal sealed class ShowOptions : IStoreOptions
{
    public const string Name = "show";

    [Value(0, MetaName = "ID", Required = true, HelpText = "The record's id, or a prefix of it that only it has.")]
    public string Id { get; set; } = string.Empty;

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(1, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option("json", HelpText = "The record as one JSONL line in the export's format.")]
    public bool Json { get; set; }

    [Option("prices", MetaValue = "FILE", HelpText = "A JSON price file adding to or overriding the built-in prices.")]
    public string? Prices { get; set; }

    public string Database { get; set; } = PromptLoggerOptions.DefaultDatabase;

    /// <summary>Shown by <c>show --help</c>, one command a line, never wrapped.</summary>
    public static IReadOnlyList<(string What, string Command)> Examples =>
    [
        ("Show the record whose id starts with 0195f3a2", "prompt-logger show 0195f3a2"),
        ("The same record as a JSONL line", "prompt-logger show 0195f3a2 --json --database=sqlite:///my_prompts.db"),
    ];
}
