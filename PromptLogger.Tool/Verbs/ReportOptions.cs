using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary><c>prompt-logger report OUTPUT.html [filters] [--limit N] [--prices FILE]</c>.</summary>
[Verb(Name, HelpText = "Write one self-contained HTML file (no network access when opened): the overview of the selection and its newest records.")]
internal sealed class ReportOptions : SelectingOptions
{
    public const string Name = "report";

    public const int DefaultLimit = 50;

    [Value(0, MetaName = "OUTPUT", Required = true,
        HelpText = "The HTML file to write (replaced whole, or left as it was if the report fails; never the database); - for standard output.")]
    public string Output { get; set; } = string.Empty;

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(1, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option("limit", Default = DefaultLimit, MetaValue = "N", HelpText = "How many of the newest records to list.")]
    public int Limit { get; set; } = DefaultLimit;

    [Option("prices", MetaValue = "FILE", HelpText = "A JSON price file adding to or overriding the built-in prices.")]
    public string? Prices { get; set; }

    /// <summary>Shown by <c>report --help</c>, one command a line, never wrapped.</summary>
    public static IReadOnlyList<(string What, string Command)> Examples =>
    [
        ("The default namespace's overview and 50 newest records", "prompt-logger report report.html --database=sqlite:///my_prompts.db"),
        ("Last week's calls to gpt-4.1 in every namespace", "prompt-logger report week.html --all-namespaces --since=7d -m gpt-4.1"),
        ("The failed calls of one conversation, to standard output", "prompt-logger report - --conversation=c-42 --errors --limit=200"),
    ];
}
