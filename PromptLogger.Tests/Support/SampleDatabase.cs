using PromptLogging.Interception;
using PromptLogging.Interception.Calls;

namespace PromptLogging.Tests.Support;

/// <summary>Fills a real SQLite file through a real <see cref="PromptLogger"/>, then closes it.</summary>
internal static class SampleDatabase
{
    public static void Create(string url, Action<PromptLogger> record, string @namespace = PromptLoggerOptions.DefaultNamespace)
    {
        using var logger = new PromptLogger(@namespace, url);
        record(logger);
        logger.Flush();
    }

    /// <summary>A chat call as interception would capture it (interception is built elsewhere; the core's seam is used).</summary>
    public static CapturedCall ChatCall(string? @namespace, string model, string question, string answer) => new CapturedCall(new CallRequest
        {
            Kind = CallKind.Chat,
            Model = model,
            Provider = "openai",
            Messages = [new CapturedMessage("system", "You are a helpful assistant."), new CapturedMessage("user", question)],
            GenerationKwargs = new System.Text.Json.Nodes.JsonObject { ["max_tokens"] = 50 },
        })
    {
        Outcome = new CallOutcome
        {
            Completions = [new CapturedCompletion("assistant", answer, "stop")],
            Usage = new CapturedUsage(12, 7),
        },
        Namespace = @namespace,
        StartedAt = DateTimeOffset.UtcNow,
        Duration = TimeSpan.FromMilliseconds(1234),
    };
}
