using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// The selection flags every verb that selects records shares (export prompts, list, search, stats, report, purge,
/// replay); <see cref="FilterArguments"/> checks them and turns them into one <see cref="Export.ExportFilter"/>.
/// </summary>
/// <remarks>
/// <c>-m</c> and <c>--tag</c> are single values for the parser (a sequence option would swallow the positional
/// values after it); every one given is read from the command line itself (<see cref="RepeatedOption"/>).
/// </remarks>
internal interface IFilterOptions
{
    [Option('n', "namespace", Default = PromptLoggerOptions.DefaultNamespace, MetaValue = "NS",
        HelpText = "The namespace to read.")]
    string Namespace { get; set; }

    [Option("all-namespaces", HelpText = "Every namespace instead of one.")]
    bool AllNamespaces { get; set; }

    [Option('m', "models", Default = FilterArguments.AllModels, MetaValue = "a,b",
        HelpText = "Only these models, comma-separated or the flag repeated; all means every model.")]
    string Models { get; set; }

    [Option("since", MetaValue = "T",
        HelpText = "Only calls made at or after T: an ISO 8601 date or date-time (UTC unless it has an offset), or a time ago: 90m, 24h, 7d.")]
    string? Since { get; set; }

    [Option("until", MetaValue = "T",
        HelpText = "Only calls made before T (a date alone: up to the end of that day), as for --since.")]
    string? Until { get; set; }

    [Option("conversation", MetaValue = "ID", HelpText = "Only the prompts of this conversation.")]
    string? Conversation { get; set; }

    [Option("user", MetaValue = "ID", HelpText = "Only the prompts made for this end user.")]
    string? User { get; set; }

    [Option(RepeatedOption.TagName, MetaValue = "T",
        HelpText = "Only the prompts carrying this tag; repeat it for prompts carrying every one of several tags.")]
    string? Tag { get; set; }

    [Option("errors", HelpText = "Only calls that failed.")]
    bool Errors { get; set; }

    [Option("no-errors", HelpText = "Only calls that did not fail.")]
    bool NoErrors { get; set; }

    // A string rather than an enum: CommandLineParser would also accept "0" or "1" for an enum.
    [Option('t', "type", MetaValue = "chat|text", HelpText = "Which prompts: chat (the default) or text.")]
    string? Type { get; set; }
}
