using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Interception;

/// <summary>
/// Microsoft.Extensions.AI's <see cref="IChatClient"/> made by <c>AsIChatClient()</c> over the real OpenAI SDK client,
/// attached at the <see cref="IChatClient"/> level (a DispatchProxy), against a local server.
/// </summary>
public sealed class ExtensionsAIChatClientTests : ServerAndLoggerFixture
{
    private const string SeedReply = "I don't have access to real-time data or current weather updates.";

    [Test]
    public async Task GetResponseAsync_SeedReadmeExample_ExportsTheSeedLinePlusUsage()
    {
        Server.ReplyContent = SeedReply;
        Server.FinishReason = "length";
        var client = Logger.AttachToClient(NewOriginal());

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You are a helpful assistant."), new ChatMessage(ChatRole.User, "What is the weather today?")],
            new ChatOptions { MaxOutputTokens = 50 });

        Assert.That(response.Text, Is.EqualTo(SeedReply));
        var line = Database.ExportChat(Logger).Single();
        Assert.That(JsonAssert.Keys(line), Is.EqualTo(new[]
        {
            "id", "namespace", "model", "messages", "generation_kwargs", "completions", "inference_on", "inference_seconds", "usage", "provider",
            "response_model", "response_id", "conversation_id", "estimated_cost_usd",
        }));
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1"));
        JsonAssert.AreEqual(
            """[{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "What is the weather today?"}]""",
            line["messages"]);
        JsonAssert.AreEqual("""{"max_completion_tokens": 50}""", line["generation_kwargs"]);
        JsonAssert.AreEqual($$"""[{"role": "assistant", "content": "{{SeedReply}}", "finish_reason": "length"}]""", line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 12, "output_tokens": 7}""", line["usage"]);
        Assert.That((string?)line["provider"], Is.EqualTo("openai"));
    }

    [Test]
    public async Task GetResponseAsync_WithAnotherModelInTheResponse_RecordsTheModelAskedForAndTheOneThatAnswered()
    {
        Server.ReplyModel = "gpt-4.1-2025-04-14";
        var client = Logger.AttachToClient(NewOriginal());

        await client.GetResponseAsync("Hi", new ChatOptions { Temperature = 0.3f, TopP = 0.9f, StopSequences = ["END"] });

        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1"), "the model asked for, as the Python package records it");
        Assert.That((string?)line["response_model"], Is.EqualTo("gpt-4.1-2025-04-14"));
        JsonAssert.AreEqual("""{"temperature": 0.3, "top_p": 0.9, "stop": ["END"]}""", line["generation_kwargs"]);
    }

    [Test]
    public async Task GetStreamingResponseAsync_ReadToTheEnd_RecordsTheAssembledTextUsageAndTimeToFirstToken()
    {
        Server.ReplyContent = "Streaming through Microsoft.Extensions.AI.";
        var client = Logger.AttachToClient(NewOriginal());

        var text = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")]))
        {
            text += update.Text;
        }

        Assert.That(text, Is.EqualTo("Streaming through Microsoft.Extensions.AI."));
        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "Streaming through Microsoft.Extensions.AI.", "finish_reason": "stop"}]""", line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 12, "output_tokens": 7}""", line["usage"]);
        Assert.That((bool?)line["stream"], Is.True);
        Assert.That((double?)line["time_to_first_token_seconds"], Is.GreaterThan(0));
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1"));
        Assert.That((string?)line["provider"], Is.EqualTo("openai"));
    }

    [Test]
    public async Task GetStreamingResponseAsync_AbandonedAfterTheFirstText_RecordsWhatWasSeenOnce()
    {
        Server.ReplyContent = "abcdefghi";
        var client = Logger.AttachToClient(NewOriginal());

        await foreach (var update in client.GetStreamingResponseAsync("Hi"))
        {
            if (update.Text.Length > 0)
            {
                break;
            }
        }

        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "abc"}]""", line["completions"]);
        Assert.That(line.ContainsKey("error"), Is.False);
    }

    [Test]
    public void GetStreamingResponseAsync_WhenTheConnectionDropsMidway_RecordsErrorAndRethrows()
    {
        Server.Mode = ServerMode.FailMidStream;
        var client = Logger.AttachToClient(NewOriginal());

        var exception = Assert.CatchAsync(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi"))
            {
                _ = update;
            }
        })!;

        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["error"], Does.StartWith(exception.GetType().FullName + ":"));
        Assert.That((bool?)line["stream"], Is.True);
    }

    [Test]
    public void GetResponseAsync_WhenServerFails_RecordsErrorAndRethrowsTheSameExceptionType()
    {
        Server.Mode = ServerMode.Fail500;
        var original = NewOriginal();
        var client = Logger.AttachToClient(original);

        var withoutProxy = Assert.CatchAsync(() => original.GetResponseAsync("Hi"))!;
        var withProxy = Assert.CatchAsync(() => client.GetResponseAsync("Hi"))!;

        Assert.That(withProxy.GetType(), Is.EqualTo(withoutProxy.GetType()));
        Assert.That(withProxy, Is.InstanceOf<ClientResultException>());
        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["error"], Does.StartWith("System.ClientModel.ClientResultException: "));
        Assert.That(line.ContainsKey("completions"), Is.False);
    }

    [Test]
    public void GetResponseAsync_WhenCancelled_RecordsErrorAndRethrowsTheCancellation()
    {
        Server.Mode = ServerMode.Slow;
        var client = Logger.AttachToClient(NewOriginal());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(async () => await client.GetResponseAsync("Hi", cancellationToken: cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());

        Assert.That((string?)Database.ExportChat(Logger).Single()["error"], Is.Not.Null);
    }

    [Test]
    public async Task GetResponseAsync_WithAFunctionTool_RecordsTheToolAndTheToolCallRoundTrip()
    {
        var client = Logger.AttachToClient(NewOriginal());
        var weather = AIFunctionFactory.Create((string city) => $"Sunny in {city}", "get_weather", "Gets the weather in a city.");
        var options = new ChatOptions { Tools = [weather] };
        List<ChatMessage> messages = [new(ChatRole.User, "Weather in Paris?")];
        Server.ReplyContent = null;
        Server.FinishReason = "tool_calls";
        Server.ToolCalls = [new ToolCallReply("call_1", "get_weather", """{"city":"Paris"}""")];

        var first = await client.GetResponseAsync(messages, options);
        messages.AddRange(first.Messages);
        messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_1", "Sunny in Paris")]));
        Server.ReplyContent = "It's sunny in Paris.";
        Server.FinishReason = "stop";
        Server.ToolCalls = [];
        await client.GetResponseAsync(messages, options);

        var lines = Database.ExportChat(Logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        var tool = lines[0]["tools"]![0]!;
        Assert.That((string?)tool["function"]!["name"], Is.EqualTo("get_weather"));
        Assert.That((string?)tool["function"]!["description"], Is.EqualTo("Gets the weather in a city."));
        Assert.That((string?)tool["function"]!["parameters"]!["properties"]!["city"]!["type"], Is.EqualTo("string"));
        JsonAssert.AreEqual(
            """[{"role": "assistant", "finish_reason": "tool_calls", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]}]""",
            lines[0]["completions"]);
        JsonAssert.AreEqual(
            """
            [{"role": "user", "content": "Weather in Paris?"},
             {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
             {"role": "tool", "content": "Sunny in Paris", "tool_call_id": "call_1"}]
            """,
            lines[1]["messages"]);
    }

    [Test]
    public void GetService_IsNotAChatCall_AndPassesThroughUntouched()
    {
        var client = Logger.AttachToClient(NewOriginal());

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.That(metadata?.ProviderName, Is.EqualTo("openai"));
        Assert.That(metadata?.DefaultModelId, Is.EqualTo("gpt-4.1"));
        Assert.That(Database.ExportChat(Logger), Is.Empty);
    }

    private IChatClient NewOriginal() =>
        new OpenAI.Chat.ChatClient("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = Server.Endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        }).AsIChatClient();
}
