using CommandLine;
using CommandLine.Text;

namespace PromptLogging.Tool.Verbs;

/// <summary><c>prompt-logger search QUERY [filters] [--limit N] [--json]</c>.</summary>
[Verb(Name, HelpText = "Search the text of messages, replies and text prompts; best match first, matching words marked.")]
internal sealed class SearchOptions : SelectingOptions
{
    public const string Name = "search";

    public const int DefaultLimit = 20;

    [Value(0, MetaName = "QUERY", Required = true,
        HelpText = "What to look for, in SQLite FTS5 query syntax on every store: words (all must match), \"a phrase\", " +
                   "prefix*, OR, NOT, AND, parentheses. Quote it for the shell.")]
    public string Query { get; set; } = string.Empty;

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(1, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option("limit", Default = DefaultLimit, MetaValue = "N", HelpText = "Show the best N matches.")]
    public int Limit { get; set; } = DefaultLimit;

    [Option("json", HelpText = "Print the matching records as the export's JSONL lines, each with a snippet field (matching words in [ ]).")]
    public bool Json { get; set; }

    private static readonly UnParserSettings ExampleStyle = new() { SkipDefault = true, UseEqualToken = true };

    [Usage(ApplicationAlias = ToolConsole.CommandName)]
    public static IEnumerable<Example> Examples =>
    [
        new("Find the prompts that mention refunds", ExampleStyle, new SearchOptions { Query = "refund*", Database = "sqlite:///my_prompts.db" }),
        new("A phrase, but not in replies that apologise, as JSONL", ExampleStyle, new SearchOptions { Query = "\"order status\" NOT sorry", Json = true }),
    ];
}
