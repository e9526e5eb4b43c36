using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// The flag every verb that works on a PromptLogger database shares: which database. The namespace is not shared:
/// <c>export</c> reads one, while <c>import</c> takes each record's own.
/// </summary>
internal interface IStoreOptions
{
    [Option('d', "database", Default = PromptLoggerOptions.DefaultDatabase, MetaValue = "URL",
        HelpText = "The database: sqlite:///relative/path.db, sqlite:////absolute/path.db or postgresql://user:password@host:port/database. Never created: a missing file or database is an error.")]
    string Database { get; set; }
}
