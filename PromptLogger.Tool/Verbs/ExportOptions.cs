using CommandLine;
using CommandLine.Text;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// <c>prompt-logger export models|prompts OUTPUT [options]</c>. CommandLineParser has no nested verbs, so what to
/// export is the first positional value, checked by <see cref="ExportRequest"/>.
/// </summary>
[Verb(Name, HelpText = "Export the models or the prompts of a namespace to a JSONL file, or to standard output.")]
internal sealed class ExportOptions : IStoreOptions
{
    public const string Name = "export";

    /// <summary>The repeatable <c>--tag</c> option's long name.</summary>
    public const string TagOption = "tag";

    [Value(0, MetaName = "models|prompts", Required = true, HelpText = "What to export: models, or prompts.")]
    public string What { get; set; } = string.Empty;

    [Value(1, MetaName = "OUTPUT", Required = true,
        HelpText = "The JSONL file to write (replaced whole, or left as it was if the export fails; a device or FIFO is written " +
                   "in place; never the database); - for standard output.")]
    public string Output { get; set; } = string.Empty;

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(2, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    // A string rather than an enum: CommandLineParser would also accept "0" or "1" for an enum.
    [Option('t', "type", MetaValue = "chat|text",
        HelpText = "Which prompts: chat (the default) or text. Only with 'export prompts'.")]
    public string? Type { get; set; }

    // A string rather than a sequence: a sequence option would swallow the positional values that follow it.
    [Option('m', "models", Default = ExportRequest.AllModels, MetaValue = "a,b",
        HelpText = "Only these models, comma-separated; all means every model.")]
    public string Models { get; set; } = ExportRequest.AllModels;

    [Option('n', "namespace", Default = PromptLoggerOptions.DefaultNamespace, MetaValue = "NS",
        HelpText = "The namespace to read.")]
    public string Namespace { get; set; } = PromptLoggerOptions.DefaultNamespace;

    [Option("conversation", MetaValue = "ID",
        HelpText = "Only the prompts of this conversation. Only with 'export prompts'.")]
    public string? Conversation { get; set; }

    [Option("user", MetaValue = "ID",
        HelpText = "Only the prompts made for this end user. Only with 'export prompts'.")]
    public string? User { get; set; }

    // A single value for the parser (a sequence option would swallow OUTPUT after it); every --tag given is
    // collected from the command line into Tags (RepeatedOption).
    [Option(TagOption, MetaValue = "T",
        HelpText = "Only the prompts carrying this tag; repeat it for prompts carrying every one of several tags. Only with 'export prompts'.")]
    public string? Tag { get; set; }

    /// <summary>Every <c>--tag</c> given, in order; <see cref="Tag"/> alone when not collected from a command line.</summary>
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
        new("Export the chat prompts of a namespace", ExampleStyle, new ExportOptions
        {
            What = "prompts",
            Output = "prompts.jsonl",
            Namespace = "my-namespace",
            Database = "sqlite:///my_prompts.db",
        }),
        new("Export the models used in a namespace", ExampleStyle, new ExportOptions
        {
            What = "models",
            Output = "models.jsonl",
            Namespace = "my-namespace",
            Database = "sqlite:///my_prompts.db",
        }),
        new("Export one conversation's chat prompts that carry the tags checkout and v2", ExampleStyle, new ExportOptions
        {
            What = "prompts",
            Output = "conversation.jsonl",
            Conversation = "c-42",
            Tags = ["checkout", "v2"],
        }),
        new("Print the text prompts to gpt-4.1 and gpt-4o to standard output", ExampleStyle, new ExportOptions
        {
            What = "prompts",
            Output = ExportRequest.StandardOutput,
            Type = "text",
            Models = "gpt-4.1,gpt-4o",
        }),
    ];
}
