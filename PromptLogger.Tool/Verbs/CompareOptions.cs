using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary><c>prompt-logger compare NS_A NS_B [filters] [--json] [--html OUTPUT] [--prices FILE]</c>.</summary>
/// <remarks>
/// The selection flags are the shared ones (<see cref="SelectingOptions"/>) and select the records of NS_A; the
/// namespaces are the two positional values, so <c>-n</c>, <c>--all-namespaces</c> and <c>--type text</c> are refused.
/// </remarks>
[Verb(Name, HelpText = "Compare two runs of the same prompts (a namespace and its replay, or two recorded independently): latency, tokens, cost, finish reasons and a word diff of the replies, per pair and in total.")]
internal sealed class CompareOptions : SelectingOptions
{
    public const string Name = "compare";

    [Value(0, MetaName = "NS_A", Required = true, HelpText = "The first namespace (the originals); the filters select its records.")]
    public string NamespaceA { get; set; } = string.Empty;

    [Value(1, MetaName = "NS_B", Required = true, HelpText = "The second namespace (their replay, or another run of the same prompts).")]
    public string NamespaceB { get; set; } = string.Empty;

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(2, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option("json", HelpText = "Print the comparison as one JSON object: the pairs, each with its diff, and the totals.")]
    public bool Json { get; set; }

    [Option("html", MetaValue = "OUTPUT", HelpText = "Write the comparison as one self-contained HTML page (no network access when opened) to OUTPUT (replaced whole, never the database); - for standard output.")]
    public string? Html { get; set; }

    [Option("prices", MetaValue = "FILE", HelpText = "A JSON price file adding to or overriding the built-in prices.")]
    public string? Prices { get; set; }

    /// <summary>Shown by <c>compare --help</c>, one command a line, never wrapped.</summary>
    public static IReadOnlyList<(string What, string Command)> Examples =>
    [
        ("A namespace against its replay on another model", "prompt-logger compare default default-replay-gpt-4.1-mini"),
        ("Yesterday's prompts only, as JSON", "prompt-logger compare default default-replay-gpt-4.1-mini --since=24h --json"),
        ("As a page to open in a browser", "prompt-logger compare default default-replay-gpt-4.1-mini --html compare.html"),
    ];
}
