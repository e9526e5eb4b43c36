using CommandLine;
using CommandLine.Text;

namespace PromptLogging.Tool.Verbs;

/// <summary><c>prompt-logger stats [filters] [--by model|namespace|day|conversation|user|tag] [--json] [--prices FILE]</c>.</summary>
[Verb(Name, HelpText = "Calls, errors, tokens, estimated cost and latency percentiles per model, namespace, day, conversation, user or tag.")]
internal sealed class StatsOptions : IStoreOptions
{
    public const string Name = "stats";

    /// <summary>The repeatable <c>--tag</c> option's long name.</summary>
    public const string TagOption = "tag";

    public const string DefaultBy = "model";

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(0, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option("by", Default = DefaultBy, MetaValue = "model|namespace|day|conversation|user|tag", HelpText = "What to group by.")]
    public string By { get; set; } = DefaultBy;

    [Option("json", HelpText = "Print one JSON object a group instead of a table.")]
    public bool Json { get; set; }

    [Option("prices", MetaValue = "FILE", HelpText = "A price table file whose entries add to or override the built-in prices.")]
    public string? Prices { get; set; }

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
        new("Per model: calls, errors, tokens, cost, latency", ExampleStyle, new StatsOptions { Database = "sqlite:///my_prompts.db" }),
        new("Per day, as JSON, priced with your own table", ExampleStyle, new StatsOptions { By = "day", Json = true, Prices = "prices.json" }),
    ];
}
