using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// <c>prompt-logger export models|prompts OUTPUT [options]</c>. CommandLineParser has no nested verbs, so what to
/// export is the first positional value, checked by <see cref="ExportRequest"/>.
/// </summary>
[Verb(Name, HelpText = "Export the models or the prompts of a namespace to a JSONL file, or to standard output.")]
internal sealed class ExportOptions : SelectingOptions
{
    public const string Name = "export";

    [Value(0, MetaName = "models|prompts", Required = true, HelpText = "What to export: models, or prompts.")]
    public string What { get; set; } = string.Empty;

    [Value(1, MetaName = "OUTPUT", Required = true,
        HelpText = "The JSONL file to write (replaced whole, or left as it was if the export fails; a device or FIFO is written " +
                   "in place; never the database); - for standard output.")]
    public string Output { get; set; } = string.Empty;

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(2, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option("format", MetaValue = "FORMAT",
        HelpText = "seed (default): the JSONL lines of the Python prompt-logger package; openai-ft: OpenAI chat fine-tuning examples " +
                   "(records that failed or have no reply left out); openai-batch: OpenAI Batch API requests (a file output split " +
                   "into OUTPUT, OUTPUT.2, ... at 50,000 lines or 200 MB); csv: RFC 4180, a header row, nested values as JSON text.")]
    public string? Format { get; set; }

    [Option("dedupe", HelpText = "With --format openai-ft: drop an example identical to one already written.")]
    public bool Dedupe { get; set; }

    [Option("prices", MetaValue = "FILE",
        HelpText = "A JSON price file adding to or overriding the built-in prices, for estimated_cost_usd.")]
    public string? Prices { get; set; }

    /// <summary>Shown by <c>export --help</c>, one command a line, never wrapped.</summary>
    public static IReadOnlyList<(string What, string Command)> Examples =>
    [
        ("Export the chat prompts of a namespace", "prompt-logger export prompts prompts.jsonl --namespace=my-namespace --database=sqlite:///my_prompts.db"),
        ("Export the models used in a namespace", "prompt-logger export models models.jsonl --namespace=my-namespace --database=sqlite:///my_prompts.db"),
        ("Export the last week's failed calls to gpt-4.1 and gpt-4o", "prompt-logger export prompts failed.jsonl --since=7d --errors -m gpt-4.1 -m gpt-4o"),
        ("Export one conversation's chat prompts that carry the tags checkout and v2", "prompt-logger export prompts conversation.jsonl --conversation=c-42 --tag=checkout --tag=v2"),
        ("Turn the namespace's successful calls into an OpenAI fine-tuning file, without duplicates", "prompt-logger export prompts train.jsonl --format=openai-ft --dedupe --namespace=my-namespace"),
        ("Re-run the last day's prompts through the OpenAI Batch API", "prompt-logger export prompts batch.jsonl --format=openai-batch --since=24h"),
        ("Open the prompts in a spreadsheet", "prompt-logger export prompts prompts.csv --format=csv"),
        ("Print January's text prompts of every namespace", "prompt-logger export prompts - --type=text --all-namespaces --since=2026-01-01 --until=2026-01-31"),
    ];
}
