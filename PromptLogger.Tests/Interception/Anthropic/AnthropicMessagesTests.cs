using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Anthropic.Services;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;
using AnthropicTool = Anthropic.Models.Messages.Tool;

namespace PromptLogging.Tests.Interception.Anthropic;

/// <summary>
/// The official Anthropic SDK's <c>Messages.Create</c> and <c>Messages.CreateStreaming</c>, through an attached
/// <see cref="IAnthropicClient"/>, against a local Anthropic-compatible server: what is recorded, and that the caller
/// sees what it saw without PromptLogger.
/// </summary>
public sealed class AnthropicMessagesTests
{
    private const string Model = "claude-sonnet-4-5";
    private const string Hostile = "<script>alert('x')</script> \u001b[31mred\u001b[0m \"quoted\" \\ \u2028 end";

    private AnthropicCompatibleServer _server = null!;
    private TestDatabase _database = null!;
    private PromptLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _server = AnthropicCompatibleServer.Start();
        _database = new TestDatabase();
        _logger = _database.CreateLogger("my-namespace");
    }

    [TearDown]
    public void TearDown()
    {
        _logger.Dispose();
        _database.Dispose();
        _server.Dispose();
    }

    [Test]
    public async Task Create_APlainCall_ExportsEveryField()
    {
        _server.ReplyModel = "claude-sonnet-4-5-20250929";
        _server.ReplyId = "msg_01plain";
        _server.ReplyText = "Reply: " + Hostile;
        _server.StopReason = "max_tokens";
        IAnthropicClient client = _logger.AttachToClient<IAnthropicClient>(NewClient());

        Message reply = await client.Messages.Create(new MessageCreateParams
        {
            Model = Model,
            MaxTokens = 50,
            System = "You are a helpful assistant.",
            Messages = [new UserMessageParam { Content = "What is the weather today? " + Hostile }],
            StopSequences = ["END"],
            Metadata = new Metadata { UserID = "user-42" },
            ServiceTier = "auto",
        });

        Assert.That(reply.Content.Single().Value, Is.TypeOf<TextBlock>().With.Property("Text").EqualTo("Reply: " + Hostile));
        var line = _database.ExportChat(_logger).Single();
        Assert.That(JsonAssert.Keys(line), Is.EqualTo(new[]
        {
            "id", "namespace", "model", "messages", "generation_kwargs", "completions", "inference_on", "inference_seconds", "usage", "provider",
            "response_model", "response_id", "conversation_id", "estimated_cost_usd",
        }));
        Assert.That((string?)line["namespace"], Is.EqualTo("my-namespace"));
        Assert.That((string?)line["model"], Is.EqualTo(Model), "the model asked for");
        JsonAssert.AreEqual(
            new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "You are a helpful assistant." },
                new JsonObject { ["role"] = "user", ["content"] = "What is the weather today? " + Hostile }).ToJsonString(),
            line["messages"]);
        JsonAssert.AreEqual(
            """{"max_tokens": 50, "metadata": {"user_id": "user-42"}, "service_tier": "auto", "stop_sequences": ["END"]}""", line["generation_kwargs"]);
        JsonAssert.AreEqual(
            new JsonArray(new JsonObject { ["role"] = "assistant", ["content"] = "Reply: " + Hostile, ["finish_reason"] = "max_tokens" }).ToJsonString(),
            line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 12, "output_tokens": 7}""", line["usage"]);
        Assert.That((string?)line["provider"], Is.EqualTo("anthropic"));
        Assert.That((string?)line["response_model"], Is.EqualTo("claude-sonnet-4-5-20250929"), "the model that answered");
        Assert.That((string?)line["response_id"], Is.EqualTo("msg_01plain"));
        Assert.That((double)line["inference_on"]!, Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).Within(60));
        Assert.That((double)line["inference_seconds"]!, Is.GreaterThan(0).And.LessThan(30));
        Assert.That(_server.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task TheReadmeExample_IsRecorded()
    {
        using var logger = new PromptLogger("my-namespace", _database.Url);

        // From the README, with the test server's address instead of the API's.
        IAnthropicClient client = logger.AttachToClient<IAnthropicClient>(new AnthropicClient { BaseUrl = _server.BaseUrl, ApiKey = "test-key" });

        Message message = await client.Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 1024,
            System = "You are a helpful assistant.",
            Messages = [new UserMessageParam { Content = "What is the weather today?" }],
        });

        var text = new System.Text.StringBuilder();
        await foreach (RawMessageStreamEvent update in client.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 1024,
            Messages = [new UserMessageParam { Content = "And tomorrow?" }],
        }))
        {
            if (update.Value is RawContentBlockDeltaEvent { Delta.Value: TextDelta delta })
            {
                text.Append(delta.Text);
            }
        }

        Assert.That(text.ToString(), Is.EqualTo("It's sunny!"));
        Assert.That(message.StopReason?.Raw(), Is.EqualTo("end_turn"));
        var lines = _database.ExportChat(logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        JsonAssert.AreEqual(
            """[{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "What is the weather today?"}]""", lines[0]["messages"]);
        Assert.That((string?)lines[1]["stream_end"], Is.EqualTo("completed"));
    }

    [Test]
    public async Task Create_SamplingParametersInTheRawBody_AreRecordedUnderTheirWireNames()
    {
        // The 13.x parameters have no typed temperature, top_p or top_k: they go in the raw body, and are sent as given.
        var client = _logger.AttachToClient<IAnthropicClient>(NewClient());
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
            """{"model": "claude-sonnet-4-5", "max_tokens": 20, "temperature": 0.5, "top_p": 0.9, "top_k": 40, "messages": [{"role": "user", "content": "Hi"}]}""")!;

        await client.Messages.Create(MessageCreateParams.FromRawUnchecked(new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), body));

        Assert.That(JsonNode.Parse(_server.RequestBodies.Single())!["top_k"]!.GetValue<int>(), Is.EqualTo(40), "sent on the wire");
        var line = _database.ExportChat(_logger).Single();
        JsonAssert.AreEqual("""{"max_tokens": 20, "temperature": 0.5, "top_k": 40, "top_p": 0.9}""", line["generation_kwargs"]);
        Assert.That((string?)line["model"], Is.EqualTo(Model));
    }

    [Test]
    public async Task Create_SystemBlocksMultiTurnAndAToolRoundTrip_AreRecordedAsChatMessagesWithToolCalls()
    {
        var client = _logger.AttachToClient<IAnthropicClient>(NewClient());
        List<ToolUnion> tools =
        [
            new AnthropicTool
            {
                Name = "get_weather",
                Description = "Gets the weather in a city.",
                InputSchema = new InputSchema
                {
                    Properties = new Dictionary<string, JsonElement> { ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }) },
                    Required = ["city"],
                },
            },
        ];
        List<MessageParam> messages =
        [
            new UserMessageParam { Content = "Hi" },
            new AssistantMessageParam { Content = "Hello! How can I help?" },
            new UserMessageParam { Content = new List<ContentBlockParam> { new TextBlockParam { Text = "Weather in " }, new TextBlockParam { Text = "Paris?" } } },
        ];
        _server.ReplyText = "Let me check.";
        _server.StopReason = "tool_use";
        _server.ToolUses = [new ToolCallReply("toolu_01", "get_weather", """{"city":"Paris"}""")];

        var first = await client.Messages.Create(new MessageCreateParams
        {
            Model = Model,
            MaxTokens = 100,
            System = new List<TextBlockParam> { new() { Text = "Be brief. " }, new() { Text = "Use tools." } },
            Messages = messages,
            Tools = tools,
            ToolChoice = new ToolChoiceAuto(),
        });
        var toolUse = first.Content.Select(static c => c.Value).OfType<ToolUseBlock>().Single();
        messages.Add(new AssistantMessageParam
        {
            Content = new List<ContentBlockParam>
            {
                new TextBlockParam { Text = "Let me check." },
                new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input },
            },
        });
        messages.Add(new UserMessageParam
        {
            Content = new List<ContentBlockParam> { new ToolResultBlockParam(toolUse.ID) { Content = "Sunny, 24°C" }, new TextBlockParam { Text = "Thanks" } },
        });
        _server.ReplyText = "It's sunny in Paris.";
        _server.StopReason = "end_turn";
        _server.ToolUses = [];
        await client.Messages.Create(new MessageCreateParams { Model = Model, MaxTokens = 100, Messages = messages, Tools = tools });

        var lines = _database.ExportChat(_logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        JsonAssert.AreEqual(
            """[{"role": "system", "content": "Be brief. Use tools."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello! How can I help?"}, {"role": "user", "content": "Weather in Paris?"}]""",
            lines[0]["messages"]);
        JsonAssert.AreEqual(
            """[{"type": "function", "function": {"name": "get_weather", "description": "Gets the weather in a city.", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]""",
            lines[0]["tools"]);
        JsonAssert.AreEqual("""{"max_tokens": 100, "tool_choice": {"type": "auto"}}""", lines[0]["generation_kwargs"], "tools are recorded under tools");
        JsonAssert.AreEqual(
            """[{"role": "assistant", "content": "Let me check.", "finish_reason": "tool_use", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]}]""",
            lines[0]["completions"]);
        JsonAssert.AreEqual(
            """
            [{"role": "user", "content": "Hi"},
             {"role": "assistant", "content": "Hello! How can I help?"},
             {"role": "user", "content": "Weather in Paris?"},
             {"role": "assistant", "content": "Let me check.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
             {"role": "tool", "content": "Sunny, 24°C", "tool_call_id": "toolu_01"},
             {"role": "user", "content": "Thanks"}]
            """,
            lines[1]["messages"]);
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's sunny in Paris.", "finish_reason": "end_turn"}]""", lines[1]["completions"]);
    }

    [Test]
    public async Task CreateStreaming_Text_IsRecordedWhole_AndTheCallerGetsEveryEvent()
    {
        _server.ReplyText = "abcdefghi";
        _server.ReplyModel = "claude-sonnet-4-5-20250929";
        _server.ReplyId = "msg_01stream";
        var original = NewClient();
        var client = _logger.AttachToClient<IAnthropicClient>(original);
        var parameters = new MessageCreateParams { Model = Model, MaxTokens = 64, Messages = [new UserMessageParam { Content = "Hi" }] };

        var withoutLogger = await EventsAsync(original.Messages.CreateStreaming(parameters));
        var withLogger = await EventsAsync(client.Messages.CreateStreaming(parameters));

        Assert.That(withLogger, Is.EqualTo(withoutLogger), "the same events, in the same order");
        Assert.That(withLogger, Has.Count.EqualTo(8), "message_start, block start, three deltas, block stop, message_delta, message_stop (the ping is not an event)");
        var line = _database.ExportChat(_logger).Single();
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "abcdefghi", "finish_reason": "end_turn"}]""", line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 12, "output_tokens": 7}""", line["usage"]);
        JsonAssert.AreEqual("""{"max_tokens": 64}""", line["generation_kwargs"], "stream is not a generation parameter");
        Assert.That((bool?)line["stream"], Is.True);
        Assert.That((string?)line["stream_end"], Is.EqualTo("completed"));
        Assert.That((string?)line["response_model"], Is.EqualTo("claude-sonnet-4-5-20250929"));
        Assert.That((string?)line["response_id"], Is.EqualTo("msg_01stream"));
        Assert.That((string?)line["provider"], Is.EqualTo("anthropic"));
        Assert.That((double)line["time_to_first_token_seconds"]!, Is.GreaterThan(0).And.LessThanOrEqualTo((double)line["inference_seconds"]!));
    }

    [Test]
    public async Task CreateStreaming_AToolUse_IsRecordedAsTheAssembledToolCall()
    {
        var client = _logger.AttachToClient<IAnthropicClient>(NewClient());
        _server.ReplyText = null;
        _server.StopReason = "tool_use";
        _server.ToolUses = [new ToolCallReply("toolu_09", "get_weather", """{"city":"Oslo","unit":"celsius"}""")];

        var events = await EventsAsync(client.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = Model, MaxTokens = 64, Messages = [new UserMessageParam { Content = "Weather in Oslo?" }],
        }));

        Assert.That(events, Has.Some.Contains("input_json_delta"));
        var line = _database.ExportChat(_logger).Single();
        JsonAssert.AreEqual(
            """[{"role": "assistant", "finish_reason": "tool_use", "tool_calls": [{"id": "toolu_09", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Oslo\",\"unit\":\"celsius\"}"}}]}]""",
            line["completions"]);
        Assert.That(line.ContainsKey("time_to_first_token_seconds"), Is.True, "a tool call is content");
    }

    [Test]
    public void CreateStreaming_AnErrorEventInA200Stream_IsRecordedFailedWithoutTimeToFirstToken_AndTheCallerGetsTheSdksException()
    {
        _server.Mode = ServerMode.ErrorEventInStream;
        var original = NewClient();
        var client = _logger.AttachToClient<IAnthropicClient>(original);
        var parameters = new MessageCreateParams { Model = Model, MaxTokens = 64, Messages = [new UserMessageParam { Content = "Hi" }] };

        var withoutLogger = Assert.CatchAsync(() => EventsAsync(original.Messages.CreateStreaming(parameters)))!;
        var withLogger = Assert.CatchAsync(() => EventsAsync(client.Messages.CreateStreaming(parameters)))!;

        Assert.That(withLogger, Is.TypeOf<AnthropicSseException>());
        Assert.That(withLogger.GetType(), Is.EqualTo(withoutLogger.GetType()));
        Assert.That(withLogger.Message, Is.EqualTo(withoutLogger.Message));
        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["error"], Does.StartWith(typeof(AnthropicSseException).FullName + ":"));
        Assert.That((string?)line["stream_end"], Is.EqualTo("failed"));
        Assert.That(line.ContainsKey("time_to_first_token_seconds"), Is.False, "no event carried content");
        Assert.That((string?)line["response_id"], Is.EqualTo("msg_test"), "message_start arrived before the error");
    }

    [Test]
    public void Create_WhenTheServerAnswersAnHttpError_RecordsTheErrorAndTheCallerGetsTheSdksOwnException()
    {
        _server.Mode = ServerMode.Fail500;
        var original = NewClient();
        var client = _logger.AttachToClient<IAnthropicClient>(original);
        var parameters = new MessageCreateParams { Model = Model, MaxTokens = 64, Messages = [new UserMessageParam { Content = "Hi" }] };

        var withoutLogger = Assert.CatchAsync(() => original.Messages.Create(parameters))!;
        var withLogger = Assert.CatchAsync(() => client.Messages.Create(parameters))!;

        Assert.That(withLogger, Is.InstanceOf<AnthropicApiException>());
        Assert.That(withLogger.GetType(), Is.EqualTo(withoutLogger.GetType()));
        Assert.That(((AnthropicApiException)withLogger).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.InternalServerError));
        Assert.That(withLogger.StackTrace, Does.Contain("Anthropic."), "the SDK's own stack trace reaches the caller");
        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["error"], Does.StartWith(withLogger.GetType().FullName + ":"));
        Assert.That(line.ContainsKey("completions"), Is.False);
        JsonAssert.AreEqual("""[{"role": "user", "content": "Hi"}]""", line["messages"]);
        Assert.That((string?)line["provider"], Is.EqualTo("anthropic"));
    }

    [Test]
    public void CreateStreaming_WhenTheServerAnswersAnHttpError_RecordsTheErrorAndRethrows()
    {
        _server.Mode = ServerMode.Fail500;
        var client = _logger.AttachToClient<IAnthropicClient>(NewClient());

        var exception = Assert.CatchAsync(() => EventsAsync(client.Messages.CreateStreaming(
            new MessageCreateParams { Model = Model, MaxTokens = 64, Messages = [new UserMessageParam { Content = "Hi" }] })))!;

        Assert.That(exception, Is.InstanceOf<AnthropicApiException>());
        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["error"], Does.StartWith(exception.GetType().FullName + ":"));
        Assert.That((bool?)line["stream"], Is.True);
        Assert.That((string?)line["stream_end"], Is.EqualTo("failed"));
    }

    [Test]
    public async Task Create_RetriedByTheSdk_IsRecordedOnce()
    {
        _server.FailNextRequests = 1;
        var client = _logger.AttachToClient<IAnthropicClient>(NewClient(maxRetries: 1));

        var reply = await client.Messages.Create(new MessageCreateParams { Model = Model, MaxTokens = 64, Messages = [new UserMessageParam { Content = "Hi" }] });

        Assert.That(reply.StopReason?.Raw(), Is.EqualTo("end_turn"));
        Assert.That(_server.RequestCount, Is.EqualTo(2), "the SDK retried the 500");
        var line = _database.ExportChat(_logger).Single();
        Assert.That(line.ContainsKey("error"), Is.False);
    }

    [Test]
    public void Create_WhenCancelled_RecordsTheErrorAndTheCallerGetsTheCancellation()
    {
        _server.Mode = ServerMode.Slow;
        var client = _logger.AttachToClient<IAnthropicClient>(NewClient());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var task = client.Messages.Create(
            new MessageCreateParams { Model = Model, MaxTokens = 64, Messages = [new UserMessageParam { Content = "Hi" }] }, cancellation.Token);

        Assert.That(async () => await task, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(task.IsCanceled, Is.True, "the cancellation is not turned into a fault");
        Assert.That((string?)_database.ExportChat(_logger).Single()["error"], Does.Contain("cancel").IgnoreCase);
    }

    [Test]
    public async Task CreateStreaming_StoppedAfterTheFirstText_IsAbandonedWithTheTextSeen()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.HoldStreamAfterFirstChunk = release.Task;
        _server.ReplyText = "abcdefghi";
        var client = _logger.AttachToClient<IAnthropicClient>(NewClient());
        var seen = new List<string>();

        try
        {
            await foreach (var update in client.Messages.CreateStreaming(
                new MessageCreateParams { Model = Model, MaxTokens = 64, Messages = [new UserMessageParam { Content = "Hi" }] }))
            {
                if (update.Value is RawContentBlockDeltaEvent { Delta.Value: TextDelta delta })
                {
                    seen.Add(delta.Text);
                    break;
                }
            }
        }
        finally
        {
            release.TrySetResult();
        }

        Assert.That(seen, Is.EqualTo(new[] { "abc" }));
        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["stream_end"], Is.EqualTo("abandoned"));
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "abc"}]""", line["completions"], "what was seen is kept; the stop reason never came");
        JsonAssert.AreEqual("""{"input_tokens": 12, "output_tokens": 1}""", line["usage"], "message_start's usage");
        Assert.That(line.ContainsKey("time_to_first_token_seconds"), Is.True);
    }

    [Test]
    public void CreateStreaming_CancelledByTheCallersToken_IsCancelledWithTheTextSeen()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.HoldStreamAfterFirstChunk = release.Task;
        _server.ReplyText = "abcdefghi";
        var client = _logger.AttachToClient<IAnthropicClient>(NewClient());
        using var cancellation = new CancellationTokenSource();

        try
        {
            Assert.CatchAsync<OperationCanceledException>(async () =>
            {
                await foreach (var update in client.Messages.CreateStreaming(
                    new MessageCreateParams { Model = Model, MaxTokens = 64, Messages = [new UserMessageParam { Content = "Hi" }] }, cancellation.Token))
                {
                    if (update.Value is RawContentBlockDeltaEvent)
                    {
                        await cancellation.CancelAsync();
                    }
                }
            });
        }
        finally
        {
            release.TrySetResult();
        }

        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["stream_end"], Is.EqualTo("cancelled"));
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "abc"}]""", line["completions"]);
        Assert.That((string?)line["error"], Does.Contain("cancel").IgnoreCase);
    }

    [Test]
    public void CreateStreaming_WhenTheConnectionDropsMidway_IsFailedWithThePartialText_AndTheCallerGetsTheSameException()
    {
        _server.Mode = ServerMode.FailMidStream;
        _server.ReplyText = "abcdefghi";
        var original = NewClient();
        var client = _logger.AttachToClient<IAnthropicClient>(original);
        var parameters = new MessageCreateParams { Model = Model, MaxTokens = 64, Messages = [new UserMessageParam { Content = "Hi" }] };

        var withoutLogger = Assert.CatchAsync(() => EventsAsync(original.Messages.CreateStreaming(parameters)))!;
        var withLogger = Assert.CatchAsync(() => EventsAsync(client.Messages.CreateStreaming(parameters)))!;

        Assert.That(withLogger.GetType(), Is.EqualTo(withoutLogger.GetType()));
        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["stream_end"], Is.EqualTo("failed"));
        Assert.That((string?)line["error"], Does.StartWith(withLogger.GetType().FullName + ":"));
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "abc"}]""", line["completions"]);
    }

    [Test]
    public async Task Create_TheCallerSeesWhatItSawWithoutPromptLogger()
    {
        _server.ReplyText = "Same " + Hostile;
        _server.StopReason = "tool_use";
        _server.ToolUses = [new ToolCallReply("toolu_1", "lookup", """{"q":"x"}""")];
        var original = NewClient();
        var client = _logger.AttachToClient<IAnthropicClient>(original);
        var parameters = new MessageCreateParams { Model = Model, MaxTokens = 64, Messages = [new UserMessageParam { Content = "Hi" }] };

        var withoutLogger = await original.Messages.Create(parameters);
        var withLogger = await client.Messages.Create(parameters);

        Assert.That(withLogger, Is.EqualTo(withoutLogger), "the SDK's own equality: the same JSON");
        Assert.That(withLogger.ToString(), Is.EqualTo(withoutLogger.ToString()));
        Assert.That(withLogger.Usage.InputTokens, Is.EqualTo(12));
        Assert.That(_server.RequestBodies[1], Is.EqualTo(_server.RequestBodies[0]), "the same request went out");
        Assert.That(client.BaseUrl, Is.EqualTo(original.BaseUrl));
        Assert.That(client.MaxRetries, Is.EqualTo(original.MaxRetries));
    }

    private AnthropicClient NewClient(int maxRetries = 0) => new() { BaseUrl = _server.BaseUrl, ApiKey = "test-key", MaxRetries = maxRetries };

    private static async Task<List<string>> EventsAsync(IAsyncEnumerable<RawMessageStreamEvent> events)
    {
        var seen = new List<string>();
        await foreach (var update in events)
        {
            seen.Add(update.Json.GetRawText());
        }

        return seen;
    }
}
