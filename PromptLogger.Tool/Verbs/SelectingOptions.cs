namespace PromptLogging.Tool.Verbs;

/// <summary>
/// The options of a verb that selects records: the database and the selection flags of <see cref="IFilterOptions"/>
/// (whose attributes tell the parser their names and help), held once for every such verb.
/// </summary>
internal abstract class SelectingOptions : IStoreOptions, IFilterOptions
{
    public string Database { get; set; } = PromptLoggerOptions.DefaultDatabase;

    public string Namespace { get; set; } = PromptLoggerOptions.DefaultNamespace;

    public bool AllNamespaces { get; set; }

    public string Models { get; set; } = FilterArguments.AllModels;

    public string? Since { get; set; }

    public string? Until { get; set; }

    public string? Conversation { get; set; }

    public string? User { get; set; }

    public string? Tag { get; set; }

    public bool Errors { get; set; }

    public bool NoErrors { get; set; }

    public string? Type { get; set; }
}
