using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary>The flags every verb that reads a PromptLogger database shares: which database, which namespace.</summary>
internal interface IStoreOptions
{
    [Option('n', "namespace", Default = PromptLoggerOptions.DefaultNamespace, MetaValue = "NS",
        HelpText = "The namespace to read.")]
    string Namespace { get; set; }

    [Option('d', "database", Default = PromptLoggerOptions.DefaultDatabase, MetaValue = "URL",
        HelpText = "The database: sqlite:///relative/path.db, sqlite:////absolute/path.db or postgresql://user:password@host:port/database. Never created: a missing file or database is an error.")]
    string Database { get; set; }
}
