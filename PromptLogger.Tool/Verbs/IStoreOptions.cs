using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// The flag every verb that works on a PromptLogger database shares: which database. The namespace is not shared:
/// <c>export</c> reads one, while <c>import</c> takes each record's own.
/// </summary>
internal interface IStoreOptions
{
    [Option('d', "database", Default = PromptLoggerOptions.DefaultDatabase, MetaValue = "URL",
        HelpText = "The database: sqlite:///relative/path.db or sqlite:////absolute/path.db. Never created: a missing file is an error.")]
    string Database { get; set; }
}
