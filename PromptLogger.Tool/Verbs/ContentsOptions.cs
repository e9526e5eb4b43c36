using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary><c>prompt-logger namespaces [--json]</c>: what namespaces a database holds.</summary>
[Verb(Name, HelpText = "List the namespaces in the database, with how many prompts each holds and their first and last use.")]
internal sealed class NamespacesOptions : IStoreOptions
{
    public const string Name = "namespaces";

    [Value(0, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option("json", HelpText = "One JSON object a line: namespace, prompts, first_use, last_use (Unix seconds).")]
    public bool Json { get; set; }

    public string Database { get; set; } = PromptLoggerOptions.DefaultDatabase;

    /// <summary>Shown by <c>namespaces --help</c>.</summary>
    public static IReadOnlyList<(string What, string Command)> Examples =>
    [
        ("The namespaces of my_prompts.db", "prompt-logger namespaces --database=sqlite:///my_prompts.db"),
    ];
}

/// <summary><c>prompt-logger models [-n NS | --all-namespaces] [--json]</c>: what models a database's prompts used.</summary>
[Verb(Name, HelpText = "List the models the prompts of a namespace used, with counts and first and last use.")]
internal sealed class ModelsOptions : IStoreOptions
{
    public const string Name = "models";

    [Value(0, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option('n', "namespace", Default = PromptLoggerOptions.DefaultNamespace, MetaValue = "NS", HelpText = "The namespace to read.")]
    public string Namespace { get; set; } = PromptLoggerOptions.DefaultNamespace;

    [Option("all-namespaces", HelpText = "Every namespace instead of one.")]
    public bool AllNamespaces { get; set; }

    [Option("json", HelpText = "One JSON object a line: namespace, model, prompts, first_use, last_use (Unix seconds).")]
    public bool Json { get; set; }

    public string Database { get; set; } = PromptLoggerOptions.DefaultDatabase;

    /// <summary>Shown by <c>models --help</c>.</summary>
    public static IReadOnlyList<(string What, string Command)> Examples =>
    [
        ("The models used in every namespace", "prompt-logger models --all-namespaces"),
    ];
}
