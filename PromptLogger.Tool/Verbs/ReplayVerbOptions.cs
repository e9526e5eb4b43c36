using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// <c>prompt-logger replay [filters] --model M [--endpoint URL] [--api-key-env VAR] [--into NS] [--concurrency K] [--limit N]</c>.
/// </summary>
[Verb(Name, HelpText = "Send the selected chat prompts again to model M at an OpenAI-compatible endpoint, and record the answers in another namespace, linked to the originals.")]
internal sealed class ReplayVerbOptions : SelectingOptions
{
    public const string Name = "replay";

    public const string DefaultKeyVariable = "OPENAI_API_KEY";

    public const int DefaultConcurrency = 4;

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(0, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option("model", MetaValue = "M", HelpText = "The model to send the prompts to (required).")]
    public string? Model { get; set; }

    [Option("endpoint", MetaValue = "URL", HelpText = "An OpenAI-compatible API's base URL, such as http://127.0.0.1:8000/v1; default OpenAI's.")]
    public string? Endpoint { get; set; }

    [Option("api-key-env", Default = DefaultKeyVariable, MetaValue = "VAR",
        HelpText = "The environment variable holding the API key (never given on the command line, never stored).")]
    public string ApiKeyEnv { get; set; } = DefaultKeyVariable;

    [Option("into", MetaValue = "NS", HelpText = "The namespace the answers are recorded in; default NS-replay-M. Running again with the same one skips the prompts replayed already.")]
    public string? Into { get; set; }

    [Option("concurrency", Default = DefaultConcurrency, MetaValue = "K", HelpText = "How many prompts are in flight at once (1 to 64).")]
    public int Concurrency { get; set; } = DefaultConcurrency;

    [Option("limit", MetaValue = "N", HelpText = "Send at most N prompts in this run.")]
    public int? Limit { get; set; }

    /// <summary>Shown by <c>replay --help</c>, one command a line, never wrapped.</summary>
    public static IReadOnlyList<(string What, string Command)> Examples =>
    [
        ("Replay the default namespace against gpt-4.1-mini (key in OPENAI_API_KEY)", "prompt-logger replay --model=gpt-4.1-mini"),
        ("Replay yesterday's support prompts against a local server", "prompt-logger replay -n support --since=24h --model=llama3 --endpoint=http://127.0.0.1:11434/v1 --api-key-env=LOCAL_KEY"),
        ("Then compare the two runs", "prompt-logger compare default default-replay-gpt-4.1-mini"),
    ];
}
