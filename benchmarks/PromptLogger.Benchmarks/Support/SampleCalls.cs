using System.Text.Json.Nodes;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Recording;
using PromptLogging.Storage;

namespace PromptLogging.Benchmarks.Support;

/// <summary>The one chat call every figure is measured on: two messages, options, a completion, usage.</summary>
internal static class SampleCalls
{
    /// <summary>The request of every call, for clients: two messages and options.</summary>
    public static readonly Microsoft.Extensions.AI.ChatMessage[] Messages =
    [
        new(Microsoft.Extensions.AI.ChatRole.System, "You are a helpful assistant."),
        new(Microsoft.Extensions.AI.ChatRole.User, "What is the weather today?"),
    ];

    /// <summary>The request of call <paramref name="i"/>: as <see cref="Messages"/>, its question numbered as in <see cref="Chat"/>.</summary>
    public static Microsoft.Extensions.AI.ChatMessage[] MessagesOf(int i) =>
    [
        Messages[0],
        new(Microsoft.Extensions.AI.ChatRole.User, "What is the weather today? (" + i + ")"),
    ];

    public static readonly Microsoft.Extensions.AI.ChatOptions Options = new() { ModelId = "gpt-4.1", MaxOutputTokens = 50, Temperature = 0.2f };

    public static CapturedCall Chat(int i) => new CapturedCall(new CallRequest
        {
            Kind = CallKind.Chat,
            Model = "gpt-4.1",
            Provider = "openai",
            Messages = [
            new CapturedMessage("system", "You are a helpful assistant."),
            new CapturedMessage("user", "What is the weather today? (" + i + ")"),
        ],
            GenerationKwargs = new JsonObject { ["max_completion_tokens"] = 50, ["temperature"] = 0.2 },
        })
    {
        Outcome = new CallOutcome
        {
            Completions = [new CapturedCompletion("assistant", "I don't have access to real-time weather data, but you can check a weather app.", "stop")],
            Usage = new CapturedUsage(24, 18),
            ResponseModel = "gpt-4.1-2025-04-14",
            ResponseId = "chatcmpl-BmT2fUq8Zk3Xw9a7QvRr5sLpYc1Nd",
            SystemFingerprint = "fp_51e1070cf2",
        },
        StartedAt = DateTimeOffset.UtcNow,
        Duration = TimeSpan.FromMilliseconds(850),
    };

    public static PromptRecord Record(int i) => Factory.Create(Chat(i));

    private static readonly PromptRecordFactory Factory = new("bench", ContentPolicy.Default);
}
