using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Export.Formats;

/// <summary>
/// A tool round trip recorded through the real OpenAI SDK, exported as fine-tuning examples and as batch requests:
/// the examples have the documented shape, and each batch body asks what the SDK itself sent (the wire request the
/// test server received), so that re-running the batch repeats the recorded calls.
/// </summary>
public sealed class RecordedCallFormatsTests : ServerAndLoggerFixture
{
    protected override string LoggerNamespace => "default";

    [Test]
    public async Task AToolRoundTrip_ExportsAsValidExamplesAndAsTheRequestsTheSdkSent()
    {
        await RecordToolRoundTrip();
        Logger.Flush();

        var ft = PromptLoggerCommand.Run("export", "prompts", "-", "--format", "openai-ft", "-d", Database.Url);
        var batch = PromptLoggerCommand.Run("export", "prompts", "-", "--format", "openai-batch", "-d", Database.Url);

        Assert.That(ft.ExitCode, Is.Zero, ft.ToString());
        var examples = Jsonl.Parse(ft.Data);
        Assert.That(examples, Has.Count.EqualTo(2));
        examples.ForEach(FineTuningShape.AssertValid);
        Assert.That(Last(examples[0]).GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString(),
            Is.EqualTo("""{"city":"Paris"}"""));
        Assert.That(Last(examples[1]).GetProperty("content").GetString(), Is.EqualTo("It's sunny in Paris."));
        Assert.That(examples[1].GetProperty("parallel_tool_calls").GetBoolean(), Is.False, "the request's parallel_tool_calls, at the top level");

        Assert.That(batch.ExitCode, Is.Zero, batch.ToString());
        var requests = Jsonl.Parse(batch.Data);
        var sent = Server.RequestBodies.Select(b => JsonNode.Parse(b)!.AsObject()).ToList();
        Assert.That(requests, Has.Count.EqualTo(sent.Count));
        for (var i = 0; i < sent.Count; i++)
        {
            var body = JsonNode.Parse(requests[i].GetProperty("body").GetRawText())!.AsObject();
            Assert.That((string?)body["model"], Is.EqualTo((string?)sent[i]["model"]));
            Assert.That(JsonNode.DeepEquals(body["tools"], sent[i]["tools"]), Is.True, $"tools of request {i + 1}: {body["tools"]} vs {sent[i]["tools"]}");
            Assert.That(JsonNode.DeepEquals(body["parallel_tool_calls"], sent[i]["parallel_tool_calls"]), Is.True);
            Assert.That(Messages(body), Is.EqualTo(Messages(sent[i])), $"messages of request {i + 1}");
        }
    }

    private async Task RecordToolRoundTrip()
    {
        var client = Logger.AttachToClient(new ChatClient("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = Server.Endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        }));
        var weather = ChatTool.CreateFunctionTool(
            "get_weather", "Gets the weather in a city.",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { weather }, AllowParallelToolCalls = false };
        List<ChatMessage> messages = [new SystemChatMessage("You answer with tools."), new UserChatMessage("Weather in Paris?")];
        Server.ReplyContent = null;
        Server.FinishReason = "tool_calls";
        Server.ToolCalls = [new ToolCallReply("call_1", "get_weather", """{"city":"Paris"}""")];
        ChatCompletion first = await client.CompleteChatAsync(messages, options);
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(first.ToolCalls[0].Id, "Sunny, 24°C"));
        Server.ReplyContent = "It's sunny in Paris.";
        Server.FinishReason = "stop";
        Server.ToolCalls = [];
        await client.CompleteChatAsync(messages, options);
    }

    private static JsonElement Last(JsonElement example) => example.GetProperty("messages").EnumerateArray().Last();

    /// <summary>What a request's messages say: role, text, tool call id, and each tool call's id, name and arguments.</summary>
    private static List<string> Messages(JsonObject request) =>
        [.. request["messages"]!.AsArray().Select(m => string.Join("|",
            (string?)m!["role"],
            Text(m["content"]),
            (string?)m["tool_call_id"],
            string.Join(";", (m["tool_calls"]?.AsArray() ?? []).Select(c => $"{(string?)c!["id"]},{(string?)c["type"]},{(string?)c["function"]!["name"]},{(string?)c["function"]!["arguments"]}"))))];

    /// <summary>A message's text: a string, or the text parts of a content array.</summary>
    private static string Text(JsonNode? content) => content switch
    {
        null => string.Empty,
        JsonArray parts => string.Concat(parts.Select(p => (string?)p!["text"])),
        _ when content.GetValueKind() == JsonValueKind.String => (string)content!,
        _ => content.ToJsonString(),
    };
}
