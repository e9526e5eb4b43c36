// PromptLogger quick start: runs offline, with no API key.
// Records a few prompts into prompts.db in the working folder and exports them to JSONL.
using PromptLogging;

const string Namespace = "quick-start";
const string Database = "sqlite:///prompts.db";

using var logger = new PromptLogger(Namespace, Database);

// One-off prompts, like the seed's save_interaction.
logger.SaveInteraction("What is the weather?", "It's sunny!");
logger.SaveInteraction("Translate 'hello' to French.", "Bonjour.", model: "tiny-translator");

// Wrap any function that asks a model, like the seed's @capture decorator.
var generate = logger.Capture(prompt => $"You asked: {prompt}");
generate("Write a haiku about logs.");

var exported = logger.ExportTextPrompts("prompts.jsonl");
Console.WriteLine($"Recorded 3 text prompts in namespace '{Namespace}' into {Path.GetFullPath("prompts.db")}.");
Console.WriteLine($"Exported {exported} text prompts to {Path.GetFullPath("prompts.jsonl")}.");
Console.WriteLine();
Console.WriteLine("Try next:");
Console.WriteLine($"  dotnet run --project PromptLogger.Tool -- export prompts - --type text --namespace={Namespace} --database={Database}");
Console.WriteLine($"  dotnet run --project PromptLogger.Tool -- export models models.jsonl --namespace={Namespace} --database={Database}");
