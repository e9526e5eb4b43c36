namespace PromptLogging.Interception.Conventions;

/// <summary>The method names that look like chat calls, and how a name is reduced to its stem.</summary>
internal static class ChatMethodNames
{
    /// <summary>
    /// Stems recognised out of the box: the OpenAI SDK, Microsoft.Extensions.AI, Semantic Kernel, and the verbs
    /// custom LLM wrappers commonly use. Each also covers its <c>Async</c>, <c>Streaming</c> and <c>Stream</c> forms.
    /// </summary>
    public static readonly IReadOnlyList<string> Defaults =
    [
        "CompleteChat",
        "GetResponse",
        "GetStreamingResponse",
        "GetChatMessageContents",
        "GetStreamingChatMessageContents",
        "Complete",
        "Generate",
        "Chat",
        "Ask",
        "Prompt",
    ];

    private static readonly string[] Suffixes = ["Async", "Streaming", "Stream"];

    /// <summary>Strips <c>Async</c>, then <c>Streaming</c> or <c>Stream</c>: <c>CompleteChatStreamingAsync</c> → <c>CompleteChat</c>.</summary>
    public static string Stem(string name)
    {
        var stem = name;
        if (stem.Length > Suffixes[0].Length && stem.EndsWith(Suffixes[0], StringComparison.OrdinalIgnoreCase))
        {
            stem = stem[..^Suffixes[0].Length];
        }

        for (var i = 1; i < Suffixes.Length; i++)
        {
            if (stem.Length > Suffixes[i].Length && stem.EndsWith(Suffixes[i], StringComparison.OrdinalIgnoreCase))
            {
                return stem[..^Suffixes[i].Length];
            }
        }

        return stem;
    }
}
