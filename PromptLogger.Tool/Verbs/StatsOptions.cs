using CommandLine;
using CommandLine.Text;

namespace PromptLogging.Tool.Verbs;

/// <summary><c>prompt-logger stats [filters] [--by model|namespace|day|conversation|user|tag] [--json] [--prices FILE]</c>.</summary>
[Verb(Name, HelpText = "Calls, errors, tokens, estimated cost and latency percentiles per model, namespace, day, conversation, user or tag.")]
internal sealed class StatsOptions : SelectingOptions
{
    public const string Name = "stats";

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

    private static readonly UnParserSettings ExampleStyle = new() { SkipDefault = true, UseEqualToken = true };

    [Usage(ApplicationAlias = ToolConsole.CommandName)]
    public static IEnumerable<Example> Examples =>
    [
        new("Per model: calls, errors, tokens, cost, latency", ExampleStyle, new StatsOptions { Database = "sqlite:///my_prompts.db" }),
        new("Per day, as JSON, priced with your own table", ExampleStyle, new StatsOptions { By = "day", Json = true, Prices = "prices.json" }),
    ];
}
