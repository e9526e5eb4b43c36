using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary>Every shape interception records, exported by the <c>prompt-logger</c> command, matches DESIGN.md.</summary>
public sealed class InterceptedCallsExportTests
{
    private OpenAICompatibleServer _server = null!;
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _server = OpenAICompatibleServer.Start();
        _temp = new TempFolder();
    }

    [TearDown]
    public void TearDown()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    [Test]
    public async Task ExportPrompts_OfOpenAIExtensionsAIAndCustomCalls_WritesTheContractShapes()
    {
        using (var logger = new PromptLogger("ns", _temp.DatabaseUrl()))
        {
            var chatClient = new ChatClient("gpt-4.1", new ApiKeyCredential("credential-4711-must-not-be-stored"), new OpenAIClientOptions { Endpoint = _server.Endpoint });
            var openai = logger.AttachToClient(chatClient);
            openai.CompleteChat(
                [new SystemChatMessage("You are a helpful assistant."), new UserChatMessage("What is the weather today?")],
                new ChatCompletionOptions { MaxOutputTokenCount = 50, Temperature = 0.5f });

            _server.ToolCalls = [new ToolCallReply("call_1", "get_weather", """{"city":"Paris"}""")];
            _server.FinishReason = "tool_calls";
            _server.ReplyContent = null;
            var withTools = new ChatCompletionOptions();
            withTools.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Weather by city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}""")));
            openai.CompleteChat([new UserChatMessage("Weather in Paris?")], withTools);
            _server.ToolCalls = [];
            _server.FinishReason = "stop";
            _server.ReplyContent = "It's sunny!";

            var extensions = logger.AttachToClient(chatClient.AsIChatClient());
            await foreach (var _ in extensions.GetStreamingResponseAsync([new Microsoft.Extensions.AI.ChatMessage(ChatRole.User, "Stream it")], new ChatOptions { MaxOutputTokens = 20 }))
            {
            }

            var custom = logger.AttachToClient<ITextModel>(new FakeTextModel());
            custom.Complete("What is the weather?");
        }

        var chat = Export("prompts", "chat.jsonl", "--type", "chat");
        var text = Export("prompts", "text.jsonl", "--type", "text");
        var models = Export("models", "models.jsonl");

        Assert.That(chat, Has.Count.EqualTo(3));
        Assert.That(Jsonl.Names(chat[0]), Is.EqualTo(new[]
        {
            "id", "namespace", "model", "messages", "generation_kwargs", "completions", "inference_on", "inference_seconds", "usage", "provider",
            "response_model", "response_id", "conversation_id", "estimated_cost_usd",
        }));
        Assert.That(chat[0].GetProperty("messages").GetRawText(), Is.EqualTo(
            """[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is the weather today?"}]"""));
        Assert.That(chat[0].GetProperty("generation_kwargs").GetProperty("max_completion_tokens").GetInt32(), Is.EqualTo(50));
        Assert.That(chat[0].GetProperty("generation_kwargs").GetProperty("temperature").GetDouble(), Is.EqualTo(0.5));
        Assert.That(chat[0].GetProperty("completions").GetRawText(), Is.EqualTo("""[{"role":"assistant","content":"It's sunny!","finish_reason":"stop"}]"""));
        Assert.That(chat[0].GetProperty("usage").GetRawText(), Is.EqualTo("""{"input_tokens":12,"output_tokens":7}"""));
        Assert.That(chat[0].GetProperty("inference_on").ValueKind, Is.EqualTo(JsonValueKind.Number));

        Assert.That(Jsonl.Names(chat[1]), Does.Contain("tools"));
        Assert.That(chat[1].GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString(), Is.EqualTo("get_weather"));
        var toolCall = chat[1].GetProperty("completions")[0].GetProperty("tool_calls")[0];
        Assert.That(toolCall.GetRawText(), Is.EqualTo("""{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}"""));
        Assert.That(chat[1].GetProperty("completions")[0].GetProperty("finish_reason").GetString(), Is.EqualTo("tool_calls"));

        Assert.That(chat[2].GetProperty("stream").GetBoolean(), Is.True);
        Assert.That(chat[2].GetProperty("time_to_first_token_seconds").GetDouble(), Is.GreaterThan(0));
        Assert.That(chat[2].GetProperty("generation_kwargs").GetProperty("max_completion_tokens").GetInt32(), Is.EqualTo(20));
        Assert.That(chat[2].GetProperty("completions")[0].GetProperty("content").GetString(), Is.EqualTo("It's sunny!"));

        var textLine = text.Single();
        Assert.That(Jsonl.Names(textLine).Take(5), Is.EqualTo(new[] { "id", "namespace", "prompt", "response", "inference_on" }));
        Assert.That(textLine.GetProperty("response").GetString(), Is.EqualTo("echo: What is the weather?"));

        Assert.That(models.Select(m => m.GetProperty("name").GetString()), Does.Contain("gpt-4.1"));
        Assert.That(Jsonl.Names(models[0]), Is.EqualTo(new[] { "id", "namespace", "name", "provider", "created" }));
        Assert.That(File.ReadAllText(_temp.File("prompts.db")), Does.Not.Contain("credential-4711"), "client credentials are never stored");
    }

    private List<JsonElement> Export(string what, string file, params string[] options)
    {
        var result = PromptLoggerCommand.Run(["export", what, _temp.File(file), "-n", "ns", "-d", _temp.DatabaseUrl(), .. options]);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        return Jsonl.Read(_temp.File(file));
    }
}
