using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// <c>prompt-logger import SPOOL_FILE [options]</c>. There is no <c>--namespace</c>: each spooled record carries
/// the namespace it was logged under, and is stored under it.
/// </summary>
[Verb(Name, HelpText = "Import a spool file (DATABASE.spool-*.jsonl, written while the database was unavailable) into the database.")]
internal sealed class ImportOptions : IStoreOptions
{
    public const string Name = "import";

    [Value(0, MetaName = "SPOOL_FILE", Required = true,
        HelpText = "The spool file to read: one record a line. Each record keeps its own namespace; one already stored is skipped.")]
    public string SpoolFile { get; set; } = string.Empty;

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(1, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option("delete",
        HelpText = "Delete SPOOL_FILE once every line of it is in the database. Without it the file is always kept.")]
    public bool Delete { get; set; }

    public string Database { get; set; } = PromptLoggerOptions.DefaultDatabase;

    /// <summary>Shown by <c>import --help</c>, one command a line, never wrapped.</summary>
    public static IReadOnlyList<(string What, string Command)> Examples =>
    [
        ("Import what a logger spooled while my_prompts.db was locked", "prompt-logger import my_prompts.db.spool-4242-0f3c.jsonl --database=sqlite:///my_prompts.db"),
        ("Import a spool file into prompts.db, then delete it", "prompt-logger import prompts.db.spool-4242-0f3c.jsonl --delete"),
    ];
}
