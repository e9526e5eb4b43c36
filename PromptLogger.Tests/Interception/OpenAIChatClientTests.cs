using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Interception;

/// <summary>The OpenAI .NET SDK's real <see cref="ChatClient"/>, attached with a Castle class proxy, against a local server.</summary>
public sealed class OpenAIChatClientTests : ServerAndLoggerFixture
{
    private const string SeedReply =
        "I don't have access to real-time data or current weather updates. For today's weather, you can:\n\n- Check your preferred weather app (such as The Weather Channel, AccuWeather, or your phone's built-in weather app)\n- Search \"weather";

    public enum ChatCall
    {
        CompleteChatWithList,
        CompleteChatWithParams,
        CompleteChatAsyncWithList,
        CompleteChatAsyncWithParams,
        CompleteChatStreamingWithList,
        CompleteChatStreamingWithParams,
        CompleteChatStreamingAsyncWithList,
        CompleteChatStreamingAsyncWithParams,
    }

    [Test]
    public void CompleteChat_SeedReadmeExample_ExportsTheSeedLinePlusUsage()
    {
        Server.ReplyContent = SeedReply;
        Server.FinishReason = "length";
        var client = Logger.AttachToClient(NewClient());

        ChatCompletion reply = client.CompleteChat(
            [new SystemChatMessage("You are a helpful assistant."), new UserChatMessage("What is the weather today?")],
            new ChatCompletionOptions { MaxOutputTokenCount = 50 });

        Assert.That(reply.Content[0].Text, Is.EqualTo(SeedReply));
        var line = Database.ExportChat(Logger).Single();
        Assert.That(JsonAssert.Keys(line), Is.EqualTo(new[]
        {
            "id", "namespace", "model", "messages", "generation_kwargs", "completions", "inference_on", "inference_seconds", "usage", "provider",
            "response_model", "response_id", "conversation_id", "estimated_cost_usd",
        }));
        Assert.That((string?)line["namespace"], Is.EqualTo("my-namespace"));
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1"));
        JsonAssert.AreEqual(
            """[{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "What is the weather today?"}]""",
            line["messages"]);
        // The .NET SDK sends MaxOutputTokenCount as max_completion_tokens; the record keeps the wire name it sent.
        JsonAssert.AreEqual("""{"max_completion_tokens": 50}""", line["generation_kwargs"]);
        JsonAssert.AreEqual(new JsonArray(new JsonObject
        {
            ["role"] = "assistant", ["content"] = SeedReply, ["finish_reason"] = "length",
        }).ToJsonString(), line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 12, "output_tokens": 7}""", line["usage"]);
        Assert.That((string?)line["provider"], Is.EqualTo("openai"));
        Assert.That((double)line["inference_on"]!, Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).Within(60));
        Assert.That((double)line["inference_seconds"]!, Is.GreaterThan(0).And.LessThan(30));
    }

    [Test]
    public void CompleteChat_FirstCallWithAModel_RegistersTheModel()
    {
        var client = Logger.AttachToClient(NewClient());

        client.CompleteChat(new UserChatMessage("Hi"));
        client.CompleteChat(new UserChatMessage("Hi again"));

        var model = Database.ExportModels(Logger).Single();
        Assert.That((string?)model["name"], Is.EqualTo("gpt-4.1"));
        Assert.That((string?)model["provider"], Is.EqualTo("openai"));
        Assert.That(Server.RequestCount, Is.EqualTo(2), "registering a model makes no call of its own");
    }

    [Test]
    public async Task EveryChatMethodAndOverload_IsRecordedExactlyOnce([Values] ChatCall call)
    {
        Server.ReplyContent = "The quick brown fox.";
        var client = Logger.AttachToClient(NewClient());

        var text = await InvokeAsync(client, call, [new SystemChatMessage("Be brief."), new UserChatMessage("Say something.")],
            new ChatCompletionOptions { Temperature = 0.5f, MaxOutputTokenCount = 20 });

        Assert.That(text, Is.EqualTo("The quick brown fox."), "the caller sees the reply unchanged");
        Assert.That(Server.RequestCount, Is.EqualTo(1));
        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1"));
        JsonAssert.AreEqual("""[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say something."}]""", line["messages"]);
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "The quick brown fox.", "finish_reason": "stop"}]""", line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 12, "output_tokens": 7}""", line["usage"]);
        var withOptions = call.ToString().EndsWith("List", StringComparison.Ordinal);
        if (withOptions)
        {
            JsonAssert.AreEqual("""{"max_completion_tokens": 20, "temperature": 0.5}""", line["generation_kwargs"]);
        }
        else
        {
            Assert.That(line.ContainsKey("generation_kwargs"), Is.False);
        }

        var streamed = call.ToString().Contains("Streaming", StringComparison.Ordinal);
        Assert.That(line.ContainsKey("stream"), Is.EqualTo(streamed));
        Assert.That(line.ContainsKey("time_to_first_token_seconds"), Is.EqualTo(streamed));
        if (streamed)
        {
            Assert.That((double)line["time_to_first_token_seconds"]!, Is.GreaterThan(0).And.LessThanOrEqualTo((double)line["inference_seconds"]!));
        }
    }

    [Test]
    public void CompleteChat_WhenServerFails_RecordsErrorAndRethrowsTheSdkException()
    {
        Server.Mode = ServerMode.Fail500;
        var original = NewClient();
        var client = Logger.AttachToClient(original);

        var withoutProxy = Assert.Throws<ClientResultException>(() => original.CompleteChat(new UserChatMessage("Hi")))!;
        var withProxy = Assert.Throws<ClientResultException>(() => client.CompleteChat(new UserChatMessage("Hi")))!;

        Assert.That(withProxy.GetType(), Is.EqualTo(withoutProxy.GetType()));
        Assert.That(withProxy.Status, Is.EqualTo(500));
        Assert.That(withProxy.StackTrace, Does.Contain("ChatClient.CompleteChat"), "the SDK's own stack trace reaches the caller");
        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["error"], Does.StartWith("System.ClientModel.ClientResultException: "));
        Assert.That(line.ContainsKey("completions"), Is.False);
        JsonAssert.AreEqual("""[{"role": "user", "content": "Hi"}]""", line["messages"]);
    }

    [Test]
    public void CompleteChatAsync_WhenServerFails_RecordsErrorAndRethrows()
    {
        Server.Mode = ServerMode.Fail500;
        var client = Logger.AttachToClient(NewClient());

        var exception = Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync(new UserChatMessage("Hi")))!;

        Assert.That(exception.Status, Is.EqualTo(500));
        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["error"], Does.StartWith("System.ClientModel.ClientResultException: "));
        Assert.That((double)line["inference_seconds"]!, Is.GreaterThan(0));
    }

    [Test]
    public void CompleteChatStreamingAsync_WhenServerFails_RecordsErrorAndRethrows()
    {
        Server.Mode = ServerMode.Fail500;
        var client = Logger.AttachToClient(NewClient());

        Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            await foreach (var update in client.CompleteChatStreamingAsync(new UserChatMessage("Hi")))
            {
                Assert.Fail($"no update expected, got {update}");
            }
        });

        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["error"], Does.StartWith("System.ClientModel.ClientResultException: "));
        Assert.That((bool?)line["stream"], Is.True);
    }

    [Test]
    public void CompleteChatAsync_WhenCancelled_RecordsErrorAndRethrowsTheCancellation()
    {
        Server.Mode = ServerMode.Slow;
        var client = Logger.AttachToClient(NewClient());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var task = client.CompleteChatAsync([new UserChatMessage("Hi")], cancellationToken: cancellation.Token);

        Assert.That(async () => await task, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(task.IsCanceled, Is.True, "the cancellation is not turned into a fault");
        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["error"], Does.Contain("Canceled").Or.Contain("canceled"));
    }

    [Test]
    public void CompleteChat_WhenCancelled_RecordsErrorAndRethrowsTheCancellation()
    {
        Server.Mode = ServerMode.Slow;
        var client = Logger.AttachToClient(NewClient());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(() => client.CompleteChat([new UserChatMessage("Hi")], cancellationToken: cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());

        Assert.That((string?)Database.ExportChat(Logger).Single()["error"], Is.Not.Null);
    }

    [Test]
    public void CompleteChatStreaming_AbandonedAfterTheFirstUpdate_RecordsWhatWasSeen()
    {
        Server.ReplyContent = "abcdefghi";
        var client = Logger.AttachToClient(NewClient());

        foreach (var update in client.CompleteChatStreaming(new UserChatMessage("Hi")))
        {
            break;
        }

        var line = Database.ExportChat(Logger).Single();
        Assert.That((bool?)line["stream"], Is.True);
        Assert.That(line.ContainsKey("error"), Is.False);
        Assert.That(line.ContainsKey("usage"), Is.False, "usage only arrives on the last update");
        Assert.That(line.ContainsKey("time_to_first_token_seconds"), Is.False, "the first update names the role only: no content was seen");
    }

    [Test]
    public async Task CompleteChatStreamingAsync_AbandonedAfterTheFirstContent_RecordsTheTextSeenSoFar()
    {
        Server.ReplyContent = "abcdefghi";
        var client = Logger.AttachToClient(NewClient());

        await foreach (var update in client.CompleteChatStreamingAsync(new UserChatMessage("Hi")))
        {
            if (update.ContentUpdate.Count > 0 && update.ContentUpdate[0].Text.Length > 0)
            {
                break;
            }
        }

        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "abc"}]""", line["completions"]);
    }

    [Test]
    public void CompleteChatStreaming_WhenTheConnectionDropsMidway_RecordsErrorAndPartialTextAndRethrows()
    {
        Server.Mode = ServerMode.FailMidStream;
        Server.ReplyContent = "abcdefghi";
        var client = Logger.AttachToClient(NewClient());
        var seen = new List<string>();

        var exception = Assert.Catch(() =>
        {
            foreach (var update in client.CompleteChatStreaming(new UserChatMessage("Hi")))
            {
                seen.AddRange(update.ContentUpdate.Select(static p => p.Text));
            }
        })!;

        var line = Database.ExportChat(Logger).Single();
        Assert.That(string.Concat(seen), Is.EqualTo("abc"));
        Assert.That((string?)line["error"], Does.StartWith(exception.GetType().FullName + ":"));
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "abc"}]""", line["completions"]);
    }

    [Test]
    public void CompleteChatStreamingAsync_WhenTheConnectionDropsMidway_RecordsErrorAndRethrowsTheSameException()
    {
        Server.Mode = ServerMode.FailMidStream;
        var original = NewClient();
        var client = Logger.AttachToClient(original);

        var withoutProxy = Assert.CatchAsync(() => ReadAllAsync(original.CompleteChatStreamingAsync(new UserChatMessage("Hi"))))!;
        var withProxy = Assert.CatchAsync(() => ReadAllAsync(client.CompleteChatStreamingAsync(new UserChatMessage("Hi"))))!;

        Assert.That(withProxy.GetType(), Is.EqualTo(withoutProxy.GetType()));
        Assert.That((string?)Database.ExportChat(Logger).Single()["error"], Does.StartWith(withProxy.GetType().FullName + ":"));
    }

    [Test]
    public async Task CompleteChatStreamingAsync_HandsOutTheFirstUpdateBeforeTheServerFinishes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Server.HoldStreamAfterFirstChunk = release.Task;
        Server.ReplyContent = "abcdefghi";
        var client = Logger.AttachToClient(NewClient());
        var text = new List<string>();

        await foreach (var update in client.CompleteChatStreamingAsync(new UserChatMessage("Hi")))
        {
            text.AddRange(update.ContentUpdate.Select(static p => p.Text));
            if (string.Concat(text) == "abc")
            {
                // The server holds the rest until now: had anything buffered the stream, this would never be reached.
                release.TrySetResult();
            }
        }

        Assert.That(string.Concat(text), Is.EqualTo("abcdefghi"));
        Assert.That(release.Task.IsCompleted, Is.True);
    }

    [Test]
    public void CompleteChatStreaming_HandsOutTheFirstUpdateBeforeTheServerFinishes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Server.HoldStreamAfterFirstChunk = release.Task;
        Server.ReplyContent = "abcdefghi";
        var client = Logger.AttachToClient(NewClient());
        var text = new List<string>();

        foreach (var update in client.CompleteChatStreaming(new UserChatMessage("Hi")))
        {
            text.AddRange(update.ContentUpdate.Select(static p => p.Text));
            if (string.Concat(text) == "abc")
            {
                release.TrySetResult();
            }
        }

        Assert.That(string.Concat(text), Is.EqualTo("abcdefghi"));
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "abcdefghi", "finish_reason": "stop"}]""",
            Database.ExportChat(Logger).Single()["completions"]);
    }

    [Test]
    public async Task CompleteChatAsync_WithTools_RecordsToolDefinitionsAndTheToolCallRoundTrip()
    {
        var client = Logger.AttachToClient(NewClient());
        var weather = ChatTool.CreateFunctionTool(
            "get_weather", "Gets the weather in a city.",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { weather } };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];
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

        var lines = Database.ExportChat(Logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        JsonAssert.AreEqual(
            """[{"type": "function", "function": {"name": "get_weather", "description": "Gets the weather in a city.", "parameters": {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""",
            lines[0]["tools"]);
        Assert.That(lines[0]["generation_kwargs"], Is.Null, "tools are recorded under tools, not as a generation parameter");
        JsonAssert.AreEqual(
            """[{"role": "assistant", "finish_reason": "tool_calls", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]}]""",
            lines[0]["completions"]);
        JsonAssert.AreEqual(
            """
            [{"role": "user", "content": "Weather in Paris?"},
             {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
             {"role": "tool", "content": "Sunny, 24°C", "tool_call_id": "call_1"}]
            """,
            lines[1]["messages"]);
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's sunny in Paris.", "finish_reason": "stop"}]""", lines[1]["completions"]);
    }

    [Test]
    public async Task CompleteChatStreamingAsync_WithAToolCall_RecordsTheAssembledToolCall()
    {
        var client = Logger.AttachToClient(NewClient());
        Server.ReplyContent = null;
        Server.FinishReason = "tool_calls";
        Server.ToolCalls = [new ToolCallReply("call_9", "get_weather", """{"city":"Oslo"}""")];

        await ReadAllAsync(client.CompleteChatStreamingAsync(new UserChatMessage("Weather in Oslo?")));

        JsonAssert.AreEqual(
            """[{"role": "assistant", "finish_reason": "tool_calls", "tool_calls": [{"id": "call_9", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Oslo\"}"}}]}]""",
            Database.ExportChat(Logger).Single()["completions"]);
    }

    [Test]
    public async Task CompleteChatAsync_WhenTheCallerChangesItsMessagesRightAfterTheCall_RecordsThemAsSent()
    {
        Server.Mode = ServerMode.Slow;
        Server.SlowDelay = TimeSpan.FromMilliseconds(150);
        var client = Logger.AttachToClient(NewClient());
        List<ChatMessage> messages = [new UserChatMessage("first question")];
        var options = new ChatCompletionOptions { Temperature = 0.1f };

        var pending = client.CompleteChatAsync(messages, options);
        messages[0] = new UserChatMessage("changed");
        messages.Add(new UserChatMessage("added"));
        options.Temperature = 0.9f;
        await pending;

        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual("""[{"role": "user", "content": "first question"}]""", line["messages"]);
        JsonAssert.AreEqual("""{"temperature": 0.1}""", line["generation_kwargs"]);
    }

    [Test]
    public void CompleteChat_WithALazyMessageSequence_RunsTheSequenceOnce()
    {
        var client = Logger.AttachToClient(NewClient());
        var runs = 0;
        IEnumerable<ChatMessage> Messages()
        {
            runs++;
            yield return new UserChatMessage("Hi");
        }

        client.CompleteChat(Messages());

        Assert.That(runs, Is.EqualTo(1));
        JsonAssert.AreEqual("""[{"role": "user", "content": "Hi"}]""", Database.ExportChat(Logger).Single()["messages"]);
    }

    [Test]
    public void CompleteChat_FromEightThreadsFiveHundredCallsEach_RecordsEveryCallOnce()
    {
        var client = Logger.AttachToClient(NewClient());
        const int threads = 8, callsPerThread = 500;
        using var start = new Barrier(threads);

        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < callsPerThread; i++)
            {
                client.CompleteChat(new UserChatMessage($"{t}:{i}"));
            }
        })).ToList();
        workers.ForEach(static w => w.Start());
        workers.ForEach(static w => w.Join());

        var contents = Database.ExportChat(Logger).Select(static l => (string?)l["messages"]![0]!["content"]).ToList();
        Assert.That(contents, Has.Count.EqualTo(threads * callsPerThread));
        Assert.That(contents, Is.Unique);
        Assert.That(Server.RequestCount, Is.EqualTo(threads * callsPerThread));
    }

    [Test]
    public void AttachToClient_OnAChatClient_ReturnsAProxyThatIsAChatClient()
    {
        var original = NewClient();

        var client = Logger.AttachToClient(original);

        Assert.That(client, Is.Not.SameAs(original));
        Assert.That(client, Is.InstanceOf<ChatClient>());
        Assert.That(Logger.AttachToClient(client), Is.SameAs(client), "attaching twice does not record twice");
    }

    private ChatClient NewClient() => new("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions
    {
        Endpoint = Server.Endpoint,
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    });

    private static async Task<string> InvokeAsync(ChatClient client, ChatCall call, List<ChatMessage> messages, ChatCompletionOptions options)
    {
        switch (call)
        {
            case ChatCall.CompleteChatWithList:
                return client.CompleteChat(messages, options).Value.Content[0].Text;
            case ChatCall.CompleteChatWithParams:
                return client.CompleteChat([.. messages]).Value.Content[0].Text;
            case ChatCall.CompleteChatAsyncWithList:
                return (await client.CompleteChatAsync(messages, options)).Value.Content[0].Text;
            case ChatCall.CompleteChatAsyncWithParams:
                return (await client.CompleteChatAsync([.. messages])).Value.Content[0].Text;
            case ChatCall.CompleteChatStreamingWithList:
                return ReadAll(client.CompleteChatStreaming(messages, options));
            case ChatCall.CompleteChatStreamingWithParams:
                return ReadAll(client.CompleteChatStreaming([.. messages]));
            case ChatCall.CompleteChatStreamingAsyncWithList:
                return await ReadAllAsync(client.CompleteChatStreamingAsync(messages, options));
            case ChatCall.CompleteChatStreamingAsyncWithParams:
                return await ReadAllAsync(client.CompleteChatStreamingAsync([.. messages]));
            default:
                throw new ArgumentOutOfRangeException(nameof(call));
        }
    }

    private static string ReadAll(CollectionResult<StreamingChatCompletionUpdate> updates) =>
        string.Concat(updates.SelectMany(static u => u.ContentUpdate).Select(static p => p.Text));

    private static async Task<string> ReadAllAsync(AsyncCollectionResult<StreamingChatCompletionUpdate> updates)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var update in updates)
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        return text.ToString();
    }
}
