// PromptLogger quick start. Records chat calls made with the OpenAI .NET SDK, plus a few text prompts, into
// prompts.db in the working folder, and exports them to JSONL.
//
// With OPENAI_API_KEY set (and optionally OPENAI_BASE_URL) it calls the real service. Without, it starts a small
// OpenAI-compatible server on 127.0.0.1 inside this process, so it runs offline with no key.
using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using PromptLogging;
using PromptLogging.Testing;

const string Namespace = "quick-start";
const string Database = "sqlite:///prompts.db";

var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
using var localServer = string.IsNullOrEmpty(apiKey) ? OpenAICompatibleServer.Start() : null;
var endpoint = localServer?.Endpoint
    ?? (Environment.GetEnvironmentVariable("OPENAI_BASE_URL") is { Length: > 0 } baseUrl ? new Uri(baseUrl) : null);
Console.WriteLine(localServer is null
    ? $"Using the OpenAI API{(endpoint is null ? string.Empty : " at " + endpoint)} (OPENAI_API_KEY is set)."
    : $"OPENAI_API_KEY is not set: using a local OpenAI-compatible server at {localServer.BaseUrl} (offline, canned replies).");

using var logger = new PromptLogger(Namespace, Database);

// One line of instrumentation: use the client that AttachToClient returns.
var options = new OpenAIClientOptions();
if (endpoint is not null)
{
    options.Endpoint = endpoint;
}

ChatClient client = logger.AttachToClient(new ChatClient("gpt-4.1-mini", new ApiKeyCredential(apiKey ?? "no-key-needed-offline"), options));

ChatCompletion reply = client.CompleteChat(
    [
        new SystemChatMessage("You are a helpful assistant."),
        new UserChatMessage("What is the weather today?"),
    ],
    new ChatCompletionOptions { MaxOutputTokenCount = 50 });
Console.WriteLine($"chat:      {reply.Content[0].Text}");

Console.Write("streaming: ");
foreach (var update in client.CompleteChatStreaming(new UserChatMessage("Write a haiku about logs.")))
{
    foreach (var part in update.ContentUpdate)
    {
        Console.Write(part.Text);
    }
}

Console.WriteLine();

// One-off prompts, like the seed's save_interaction, and a wrapped function, like its @capture decorator.
logger.SaveInteraction("What is the weather?", "It's sunny!");
var generate = logger.Capture(prompt => $"You asked: {prompt}");
generate("Translate 'hello' to French.");

var chats = logger.ExportChatPrompts("prompts.jsonl");
var texts = logger.ExportTextPrompts("text-prompts.jsonl");
var models = logger.ExportModels("models.jsonl");
Console.WriteLine();
Console.WriteLine($"Recorded into {Path.GetFullPath("prompts.db")} (namespace '{Namespace}'):");
Console.WriteLine($"  {chats} chat prompts  -> prompts.jsonl");
Console.WriteLine($"  {texts} text prompts  -> text-prompts.jsonl");
Console.WriteLine($"  {models} models        -> models.jsonl");
Console.WriteLine();
Console.WriteLine("Try next:");
Console.WriteLine($"  dotnet run --project PromptLogger.Tool -- export prompts - --namespace={Namespace} --database={Database}");
Console.WriteLine($"  dotnet run --project PromptLogger.Tool -- export models - --namespace={Namespace} --database={Database}");
