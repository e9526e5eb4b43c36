using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// <c>prompt-logger import SOURCE [options]</c>: a spool file, JSONL in the seed's export format, or a database of the
/// Python package, told apart by their first bytes. Each record keeps the namespace it names; <c>--namespace</c> is
/// for those that name none.
/// </summary>
[Verb(Name, HelpText = "Import a spool file, JSONL in the seed's export format (prompts or models, from export or the Python prompt-logger), or a database of the Python prompt-logger; each record is stored once however often it is imported.")]
internal sealed class ImportOptions : IStoreOptions
{
    public const string Name = "import";

    [Value(0, MetaName = "SOURCE", Required = true,
        HelpText = "The file to read: a spool file (DATABASE.spool-*.jsonl), a JSONL export, or a SQLite database written by the Python prompt-logger. What it is is found from its first bytes.")]
    public string Source { get; set; } = string.Empty;

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(1, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option('n', "namespace", MetaValue = "NS",
        HelpText = "The namespace of records that name none (JSONL lines without a namespace). Default: default.")]
    public string? Namespace { get; set; }

    [Option("delete",
        HelpText = "Delete SOURCE (a spool or JSONL file, never a database) once every line of it is in the database. Without it the file is always kept.")]
    public bool Delete { get; set; }

    public string Database { get; set; } = PromptLoggerOptions.DefaultDatabase;

    /// <summary>Shown by <c>import --help</c>, one command a line, never wrapped.</summary>
    public static IReadOnlyList<(string What, string Command)> Examples =>
    [
        ("Import what a logger spooled while my_prompts.db was locked", "prompt-logger import my_prompts.db.spool-4242-0f3c.jsonl --database=sqlite:///my_prompts.db"),
        ("Import the database of the Python prompt-logger", "prompt-logger import old_prompts.db --database=sqlite:///my_prompts.db"),
        ("Import exported lines, those without a namespace into my-namespace", "prompt-logger import prompts.jsonl -n my-namespace"),
        ("Import a spool file into prompts.db, then delete it", "prompt-logger import prompts.db.spool-4242-0f3c.jsonl --delete"),
    ];
}
