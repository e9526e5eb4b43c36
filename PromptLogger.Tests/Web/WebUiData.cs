using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Storage;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Web;

/// <summary>
/// What the web UI tests browse, stored through the library: a conversation with a tool call and three turns and a
/// call carrying hostile text, made with the real OpenAI SDK against the tests' server through a real logger; and a
/// namespace of many plain records (the real record factory and batch inserter) for filters and pages.
/// </summary>
internal static class WebUiData
{
    public const string Conversation = "trip-42";
    public const string ToolNamespace = "travel";
    public const string BulkNamespace = "bulk";
    public const int BulkCount = 120;
    public const int BulkErrors = 12;

    public const string ScriptPayload = "<script>document.title='x'</script>";
    public const string ImagePayload = "<img src=x onerror=alert(1)>";
    public const string LinkPayload = "<a href=\"javascript:alert(1)\">click</a> [click](javascript:alert(1))";

    // 2026-01-10 12:00:00 UTC: the bulk records, one a minute.
    public const double BulkStart = 1_768_046_400;

    /// <summary>The travel conversation and the hostile call, through the OpenAI SDK and a logger.</summary>
    public static async Task StoreCallsAsync(string url)
    {
        using var server = OpenAICompatibleServer.Start();
        using var logger = new PromptLogger(new PromptLoggerOptions { Namespace = ToolNamespace, Database = url });
        var client = logger.AttachToClient(new ChatClient("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = server.Endpoint }));
        var options = new ChatCompletionOptions
        {
            Tools =
            {
                ChatTool.CreateFunctionTool("get_weather", "The weather in a city, today or tomorrow",
                    BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"},"day":{"type":"string"}},"required":["city"]}""")),
            },
        };

        List<ChatMessage> messages = [new SystemChatMessage("You are a travel agent."), new UserChatMessage("What is the weather in Paris?")];
        using (logger.BeginScope(new PromptScope { ConversationId = Conversation, UserId = "traveller-7", Tags = { "weather" }, Metadata = { ["experiment"] = "v2" } }))
        {
            server.ToolCallsOnce = [new ToolCallReply("call_paris", "get_weather", """{"city":"Paris"}""")];
            ChatCompletion first = await client.CompleteChatAsync(messages, options);
            messages.Add(new AssistantChatMessage(first.ToolCalls));
            messages.Add(new ToolChatMessage("call_paris", "18°C and sunny"));
            server.ReplyContent = "It is 18°C and sunny in Paris.";
            await client.CompleteChatAsync(messages, options);
            messages.Add(new AssistantChatMessage("It is 18°C and sunny in Paris."));
            messages.Add(new UserChatMessage("And tomorrow?"));
            server.ReplyContent = "Tomorrow brings light rain.";
            await client.CompleteChatAsync(messages, options);
        }

        using (logger.BeginScope(new PromptScope { ConversationId = "<script>alert(2)</script>", Tags = { ImagePayload } }))
        {
            server.ReplyContent = LinkPayload + " " + ScriptPayload;
            await client.CompleteChatAsync([new UserChatMessage(ScriptPayload + " " + ImagePayload)]);
        }

        logger.Flush();
    }

    /// <summary><see cref="BulkCount"/> records a minute apart: models alternate, every tenth failed.</summary>
    public static void StoreBulk(string url)
    {
        var records = Enumerable.Range(0, BulkCount).Select(i =>
        {
            var record = StoredRecords.Chat(BulkNamespace, $"bulk question {i}", $"bulk answer {i}", i % 2 == 0 ? "gpt-4.1" : "gpt-4.1-mini");
            return record with { InferenceOn = BulkStart + 60 * i, InferenceSeconds = 0.5 + i % 7, Error = i % 10 == 9 ? $"rate limited {i}" : null };
        }).ToArray();
        StoredRecords.Store(url, records);
    }

    /// <summary>Every bulk record's question, newest first (the pages' order).</summary>
    public static IEnumerable<string> BulkQuestionsNewestFirst() =>
        Enumerable.Range(0, BulkCount).Reverse().Select(i => $"bulk question {i}");
}
