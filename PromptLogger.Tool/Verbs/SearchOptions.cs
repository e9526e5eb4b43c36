using CommandLine;
using CommandLine.Text;

namespace PromptLogging.Tool.Verbs;

/// <summary><c>prompt-logger search QUERY [filters] [--limit N] [--json]</c>.</summary>
[Verb(Name, HelpText = "Search the text of messages, replies and text prompts; best match first, matching words marked.")]
internal sealed class SearchOptions : IStoreOptions
{
    public const string Name = "search";

    /// <summary>The repeatable <c>--tag</c> option's long name.</summary>
    public const string TagOption = "tag";

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

    [Option('t', "type", MetaValue = "chat|text", HelpText = "Which prompts: chat (the default) or text.")]
    public string? Type { get; set; }

    [Option('m', "models", Default = ExportRequest.AllModels, MetaValue = "a,b", HelpText = "Only these models, comma-separated; all means every model.")]
    public string Models { get; set; } = ExportRequest.AllModels;

    [Option('n', "namespace", Default = PromptLoggerOptions.DefaultNamespace, MetaValue = "NS", HelpText = "The namespace to read.")]
    public string Namespace { get; set; } = PromptLoggerOptions.DefaultNamespace;

    [Option("conversation", MetaValue = "ID", HelpText = "Only the prompts of this conversation.")]
    public string? Conversation { get; set; }

    [Option("user", MetaValue = "ID", HelpText = "Only the prompts made for this end user.")]
    public string? User { get; set; }

    [Option(TagOption, MetaValue = "T", HelpText = "Only the prompts carrying this tag; repeat it for every one of several tags.")]
    public string? Tag { get; set; }

    /// <summary>Every <c>--tag</c> given, in order.</summary>
    public IReadOnlyList<string> Tags
    {
        get => _tags ?? (Tag is null ? [] : [Tag]);
        set => _tags = value;
    }

    private IReadOnlyList<string>? _tags;

    public string Database { get; set; } = PromptLoggerOptions.DefaultDatabase;

    private static readonly UnParserSettings ExampleStyle = new() { SkipDefault = true, UseEqualToken = true };

    [Usage(ApplicationAlias = ToolConsole.CommandName)]
    public static IEnumerable<Example> Examples =>
    [
        new("Find the prompts that mention refunds", ExampleStyle, new SearchOptions { Query = "refund*", Database = "sqlite:///my_prompts.db" }),
        new("A phrase, but not in replies that apologise, as JSONL", ExampleStyle, new SearchOptions { Query = "\"order status\" NOT sorry", Json = true }),
    ];
}
