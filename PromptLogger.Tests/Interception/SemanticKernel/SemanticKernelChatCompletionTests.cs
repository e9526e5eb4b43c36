using System.ClientModel;
using System.ClientModel.Primitives;
using DescriptionAttribute = System.ComponentModel.DescriptionAttribute;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

#pragma warning disable SKEXP0010 // The connector's endpoint constructor: how a test points it at the local server.

namespace PromptLogging.Tests.Interception.SemanticKernel;

/// <summary>
/// Semantic Kernel's real OpenAI connector (<see cref="OpenAIChatCompletionService"/>) attached at
/// <see cref="IChatCompletionService"/>, against the tests' OpenAI-compatible server.
/// </summary>
public sealed class SemanticKernelChatCompletionTests : ServerAndLoggerFixture
{
    private const string Hostile = "</script><script>alert(1)</script> \u001b[31mred\u001b[0m \"quoted\"\nnext line \u2028 emoji \ud83d\ude00";

    [Test]
    public async Task GetChatMessageContentsAsync_PlainCall_RecordsMessagesReplyUsageAndWhatAnswered()
    {
        Server.ReplyModel = "gpt-4.1-2025-04-14";
        var service = Logger.AttachToClient<IChatCompletionService>(NewService());
        var history = new ChatHistory();
        history.AddUserMessage("What is the weather today?");

        var reply = await service.GetChatMessageContentsAsync(history);

        Assert.That(reply.Single().Content, Is.EqualTo("It's sunny!"));
        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1"));
        Assert.That((string?)line["provider"], Is.EqualTo("openai"));
        Assert.That((string?)line["response_model"], Is.EqualTo("gpt-4.1-2025-04-14"));
        Assert.That((string?)line["response_id"], Is.EqualTo("chatcmpl-test"));
        JsonAssert.AreEqual("""[{"role": "user", "content": "What is the weather today?"}]""", line["messages"]);
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's sunny!", "finish_reason": "stop"}]""", line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 12, "output_tokens": 7}""", line["usage"]);
        Assert.That(line.ContainsKey("generation_kwargs"), Is.False, "no settings, no parameters");
        Assert.That(Server.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task GetChatMessageContentsAsync_MultiTurnWithASystemMessage_RecordsEveryTurnWithLowercaseRolesAndTheTextExactly()
    {
        var service = Logger.AttachToClient<IChatCompletionService>(NewService());
        var history = new ChatHistory("You are a helpful assistant. " + Hostile);
        history.AddUserMessage("Hello! " + Hostile);
        Server.ReplyContent = "Hi there. " + Hostile;

        var first = await service.GetChatMessageContentsAsync(history);
        history.Add(first.Single());   // the connector's own reply, whose role label is "Assistant"
        history.AddUserMessage("And tomorrow?");
        Server.ReplyContent = "Rain.";
        await service.GetChatMessageContentsAsync(history);

        var lines = Database.ExportChat(Logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(first.Single().Role.Label, Is.EqualTo("Assistant"), "the connector's label, which the record must not copy");
        var expected = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = "You are a helpful assistant. " + Hostile },
            new JsonObject { ["role"] = "user", ["content"] = "Hello! " + Hostile },
            new JsonObject { ["role"] = "assistant", ["content"] = "Hi there. " + Hostile },
            new JsonObject { ["role"] = "user", ["content"] = "And tomorrow?" });
        JsonAssert.AreEqual(expected.ToJsonString(), lines[1]["messages"]);
        JsonAssert.AreEqual(
            new JsonArray(new JsonObject { ["role"] = "assistant", ["content"] = "Hi there. " + Hostile, ["finish_reason"] = "stop" }).ToJsonString(),
            lines[0]["completions"]);
        Assert.That(WireMessages(1), Is.EqualTo(Recorded(lines[1])), "recorded as the connector sent them");
    }

    [Test]
    public async Task GetStreamingChatMessageContentsAsync_ReadToTheEnd_RecordsTheAssembledTextWithALowercaseRole()
    {
        Server.ReplyContent = "Streaming through Semantic Kernel.";
        var service = Logger.AttachToClient<IChatCompletionService>(NewService());
        var history = new ChatHistory();
        history.AddUserMessage("Hi");

        var text = string.Empty;
        await foreach (var update in service.GetStreamingChatMessageContentsAsync(history))
        {
            text += update.Content;
        }

        Assert.That(text, Is.EqualTo("Streaming through Semantic Kernel."));
        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "Streaming through Semantic Kernel.", "finish_reason": "stop"}]""", line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 12, "output_tokens": 7}""", line["usage"]);
        Assert.That((bool?)line["stream"], Is.True);
        Assert.That((string?)line["stream_end"], Is.EqualTo("completed"));
        Assert.That((double?)line["time_to_first_token_seconds"], Is.GreaterThan(0));
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1"));
        Assert.That((string?)line["response_id"], Is.EqualTo("chatcmpl-test"));
        Assert.That((string?)line["provider"], Is.EqualTo("openai"));
    }

    [Test]
    public async Task GetStreamingChatMessageContentsAsync_AbandonedAfterTheFirstText_RecordsWhatWasSeenOnce()
    {
        Server.ReplyContent = "abcdefghi";
        var service = Logger.AttachToClient<IChatCompletionService>(NewService());

        await foreach (var update in service.GetStreamingChatMessageContentsAsync(new ChatHistory("Be brief.")))
        {
            if (!string.IsNullOrEmpty(update.Content))
            {
                break;
            }
        }

        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "abc"}]""", line["completions"]);
        Assert.That((string?)line["stream_end"], Is.EqualTo("abandoned"));
    }

    [Test]
    public async Task ExecutionSettings_AreRecordedUnderTheNamesAndValuesTheOpenAISdkPathRecords()
    {
        var service = Logger.AttachToClient<IChatCompletionService>(NewService());
        var history = new ChatHistory();
        history.AddUserMessage("Hi");
        await service.GetChatMessageContentsAsync(history, new OpenAIPromptExecutionSettings
        {
            MaxTokens = 20,
            Temperature = 0.3,
            TopP = 0.9,
            FrequencyPenalty = 0.5,
            PresencePenalty = 0.25,
            StopSequences = ["END"],
            Seed = 7,
            User = "user-1",
            Logprobs = true,
            TopLogprobs = 2,
            TokenSelectionBiases = new Dictionary<int, int> { [50256] = -100 },
        });
        var sdk = Logger.AttachToClient(new ChatClient("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = Server.Endpoint }));
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = 20,
            Temperature = 0.3f,
            TopP = 0.9f,
            FrequencyPenalty = 0.5f,
            PresencePenalty = 0.25f,
            Seed = 7,
            EndUserId = "user-1",
            IncludeLogProbabilities = true,
            TopLogProbabilityCount = 2,
        };
        options.StopSequences.Add("END");
        options.LogitBiases.Add(50256, -100);
        await sdk.CompleteChatAsync([new UserChatMessage("Hi")], options);

        var lines = Database.ExportChat(Logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        var kwargs = lines[0]["generation_kwargs"];
        Assert.That((int?)kwargs?["max_completion_tokens"], Is.EqualTo(20), "MaxTokens under the name the connector sends");
        JsonAssert.AreEqual(lines[1]["generation_kwargs"]!.ToJsonString(), kwargs, "the same parameters as through the OpenAI SDK");
        var wire = (JsonObject)JsonNode.Parse(Server.RequestBodies[0])!;
        foreach (var (name, value) in kwargs!.AsObject())
        {
            Assert.That(JsonNode.DeepEquals(wire[name], value), Is.True, $"{name} as on the wire: {wire[name]?.ToJsonString()}");
        }
    }

    [Test]
    public async Task ExecutionSettings_GivenAsPromptExecutionSettingsExtensionData_AreRecordedAsTheConnectorSpecializesThem()
    {
        var service = Logger.AttachToClient<IChatCompletionService>(NewService());
        var settings = new PromptExecutionSettings
        {
            ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 50, ["temperature"] = 0.5, ["stop_sequences"] = new[] { "END" } },
        };

        await service.GetChatMessageContentsAsync(new ChatHistory("Be brief."), settings);

        JsonAssert.AreEqual("""{"max_completion_tokens": 50, "temperature": 0.5, "stop": ["END"]}""", Database.ExportChat(Logger).Single()["generation_kwargs"]);
    }

    [Test]
    public async Task ExecutionSettings_ChatSystemPrompt_IsRecordedAsTheSystemMessageTheConnectorPutsFirst()
    {
        var service = Logger.AttachToClient<IChatCompletionService>(NewService());
        var history = new ChatHistory();
        history.AddUserMessage("Hi");

        await service.GetChatMessageContentsAsync(history, new OpenAIPromptExecutionSettings { ChatSystemPrompt = "Be brief." });

        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual("""[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]""", line["messages"]);
        Assert.That(Recorded(line), Is.EqualTo(WireMessages(0)));
    }

    [Test]
    public void AttachToClient_TheSealedConnectorClass_SaysToAttachAtIChatCompletionService()
    {
        var error = Assert.Throws<ArgumentException>(() => Logger.AttachToClient(NewService()))!;

        Assert.That(error.Message, Does.Contain("AttachToClient<IChatCompletionService>"));
    }

    [Test]
    public async Task AutomaticFunctionCalling_RecordsTheCallOnceAsItsLastRequest_WithTheToolCallsTheToolResultAndTheOfferedTools()
    {
        var kernel = NewKernel();
        var service = Logger.AttachToClient(kernel.GetRequiredService<IChatCompletionService>());
        var history = new ChatHistory("You are a weather bot.");
        history.AddUserMessage("Weather in Paris?");
        Server.ToolCallsOnce = [new ToolCallReply("call_1", "Weather-get_weather", """{"city":"Paris"}""")];
        Server.ReplyContent = "It's sunny in Paris.";

        var reply = await service.GetChatMessageContentsAsync(
            history, new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(), MaxTokens = 30 }, kernel);

        Assert.That(reply.Single().Content, Is.EqualTo("It's sunny in Paris."));
        Assert.That(Server.RequestCount, Is.EqualTo(2), "the connector asked, invoked the function, and asked again");
        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual(
            """
            [{"role": "system", "content": "You are a weather bot."},
             {"role": "user", "content": "Weather in Paris?"},
             {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "Weather-get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
             {"role": "tool", "content": "Sunny in Paris", "tool_call_id": "call_1"}]
            """,
            line["messages"]);
        Assert.That(Recorded(line), Is.EqualTo(WireMessages(1)), "the messages of the second request, as sent");
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's sunny in Paris.", "finish_reason": "stop"}]""", line["completions"]);
        var tool = line["tools"]!.AsArray().Single()!;
        var wireTool = JsonNode.Parse(Server.RequestBodies[0])!["tools"]![0]!;
        Assert.That((string?)tool["function"]!["name"], Is.EqualTo("Weather-get_weather"));
        Assert.That((string?)tool["function"]!["description"], Is.EqualTo("Gets the weather in a city."));
        JsonAssert.AreEqual(wireTool["function"]!["parameters"]!.ToJsonString(), tool["function"]!["parameters"]);
        JsonAssert.AreEqual("""{"max_completion_tokens": 30, "tool_choice": "auto"}""", line["generation_kwargs"]);
    }

    [Test]
    public async Task ManualFunctionCalling_RecordsTheToolCallsAsTheCompletion_ThenTheToolMessageInTheNextRequest()
    {
        var kernel = NewKernel();
        var service = Logger.AttachToClient(kernel.GetRequiredService<IChatCompletionService>());
        var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(autoInvoke: false) };
        var history = new ChatHistory();
        history.AddUserMessage("Weather in Paris?");
        Server.ToolCallsOnce = [new ToolCallReply("call_1", "Weather-get_weather", """{"city":"Paris"}""")];

        var first = (await service.GetChatMessageContentsAsync(history, settings, kernel)).Single();
        history.Add(first);
        foreach (var call in FunctionCallContent.GetFunctionCalls(first))
        {
            history.Add((await call.InvokeAsync(kernel)).ToChatMessage());
        }

        Server.ReplyContent = "It's sunny in Paris.";
        await service.GetChatMessageContentsAsync(history, settings, kernel);

        var lines = Database.ExportChat(Logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        JsonAssert.AreEqual(
            """[{"role": "assistant", "finish_reason": "tool_calls", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "Weather-get_weather", "arguments": "{\"city\":\"Paris\"}"}}]}]""",
            lines[0]["completions"]);
        JsonAssert.AreEqual(
            """
            [{"role": "user", "content": "Weather in Paris?"},
             {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "Weather-get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
             {"role": "tool", "content": "Sunny in Paris", "tool_call_id": "call_1"}]
            """,
            lines[1]["messages"]);
        Assert.That(Recorded(lines[1]), Is.EqualTo(WireMessages(1)));
    }

    [Test]
    public async Task StreamedAutomaticFunctionCalling_RecordsOnce_WithTheStreamedToolCallsAndTheFinalText()
    {
        var kernel = NewKernel();
        var service = Logger.AttachToClient(kernel.GetRequiredService<IChatCompletionService>());
        var history = new ChatHistory();
        history.AddUserMessage("Weather in Paris?");
        Server.ToolCallsOnce = [new ToolCallReply("call_1", "Weather-get_weather", """{"city":"Paris"}""")];
        Server.ReplyContent = "Sunny.";

        var text = string.Empty;
        await foreach (var update in service.GetStreamingChatMessageContentsAsync(
                           history, new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel))
        {
            text += update.Content;
        }

        Assert.That(text, Is.EqualTo("Sunny."));
        Assert.That(Server.RequestCount, Is.EqualTo(2));
        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual(
            """[{"role": "assistant", "content": "Sunny.", "finish_reason": "stop", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "Weather-get_weather", "arguments": "{\"city\":\"Paris\"}"}}]}]""",
            line["completions"]);
        Assert.That((string?)line["stream_end"], Is.EqualTo("completed"));
    }

    [Test]
    public void GetChatMessageContentsAsync_WhenTheServerFails_RecordsTheErrorAndTheCallerGetsSemanticKernelsOwnException()
    {
        Server.Mode = ServerMode.Fail500;
        var original = new OpenAIChatCompletionService("gpt-4.1", NoRetries());
        var service = Logger.AttachToClient<IChatCompletionService>(original);
        var history = new ChatHistory();
        history.AddUserMessage("Hi");

        var withoutProxy = Assert.CatchAsync(() => original.GetChatMessageContentsAsync(history))!;
        var withProxy = Assert.CatchAsync(() => service.GetChatMessageContentsAsync(history))!;

        Assert.That(withProxy, Is.InstanceOf<HttpOperationException>());
        Assert.That(withProxy.GetType(), Is.EqualTo(withoutProxy.GetType()));
        Assert.That(((HttpOperationException)withProxy).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.InternalServerError));
        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["error"], Does.StartWith("Microsoft.SemanticKernel.HttpOperationException: "));
        Assert.That(line.ContainsKey("completions"), Is.False);
    }

    [Test]
    public async Task BothTheServiceAndItsOpenAIClientAttached_RecordTheServiceCallAndTheModelRequest()
    {
        // What happens, not what would be ideal: the service's proxy records the Semantic Kernel call, the OpenAIClient's
        // chat client records the request the connector sent for it. Attach one of the two.
        var openAI = Logger.AttachToClient(NoRetries());
        var service = Logger.AttachToClient<IChatCompletionService>(new OpenAIChatCompletionService("gpt-4.1", openAI));
        var history = new ChatHistory();
        history.AddUserMessage("Hi");

        await service.GetChatMessageContentsAsync(history, new OpenAIPromptExecutionSettings { MaxTokens = 20 });

        var lines = Database.ExportChat(Logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        JsonAssert.AreEqual(lines[0]["messages"]!.ToJsonString(), lines[1]["messages"]);
        JsonAssert.AreEqual(lines[0]["generation_kwargs"]!.ToJsonString(), lines[1]["generation_kwargs"]);
        JsonAssert.AreEqual(lines[0]["completions"]!.ToJsonString(), lines[1]["completions"]);
    }

    [Test]
    public async Task OpenAIClientAttachedAlone_RecordsEachRequestOfAnAutomaticFunctionCall()
    {
        var builder = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4.1", Logger.AttachToClient(NoRetries()));
        builder.Plugins.AddFromType<Weather>();
        var kernel = builder.Build();
        Server.ToolCallsOnce = [new ToolCallReply("call_1", "Weather-get_weather", """{"city":"Paris"}""")];

        await kernel.InvokePromptAsync("Weather in Paris?", new KernelArguments(new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }));

        var lines = Database.ExportChat(Logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That((string?)lines[0]["completions"]![0]!["finish_reason"], Is.EqualTo("tool_calls"));
        Assert.That((string?)lines[1]["messages"]![2]!["role"], Is.EqualTo("tool"));
    }

    private OpenAIChatCompletionService NewService() => new("gpt-4.1", Server.Endpoint, "test-key");

    private OpenAIClient NoRetries() =>
        new(new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = Server.Endpoint, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) });

    private Kernel NewKernel()
    {
        var builder = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4.1", Server.Endpoint, "test-key");
        builder.Plugins.AddFromType<Weather>();
        return builder.Build();
    }

    /// <summary>The role, content, tool call id and tool calls of the messages of request <paramref name="index"/> as the server received them (an empty content as none).</summary>
    private string WireMessages(int index)
    {
        var messages = JsonNode.Parse(Server.RequestBodies[index])!["messages"]!.AsArray();
        var normalized = new JsonArray();
        foreach (var message in messages)
        {
            var copy = new JsonObject { ["role"] = (string?)message!["role"] };
            if (message["content"] is JsonValue content && (string?)content is { Length: > 0 } text)
            {
                copy["content"] = text;
            }

            if (message["tool_call_id"] is { } id)
            {
                copy["tool_call_id"] = (string?)id;
            }

            if (message["tool_calls"] is { } calls)
            {
                copy["tool_calls"] = calls.DeepClone();
            }

            normalized.Add(copy);
        }

        return normalized.ToJsonString();
    }

    /// <summary>The recorded messages in the same form as <see cref="WireMessages"/>.</summary>
    private static string Recorded(JsonObject line)
    {
        var normalized = new JsonArray();
        foreach (var message in line["messages"]!.AsArray())
        {
            var copy = new JsonObject { ["role"] = (string?)message!["role"] };
            foreach (var name in new[] { "content", "tool_call_id", "tool_calls" })
            {
                if (message[name] is { } value)
                {
                    copy[name] = value.DeepClone();
                }
            }

            normalized.Add(copy);
        }

        return normalized.ToJsonString();
    }

    /// <summary>A kernel plugin the model calls.</summary>
    public sealed class Weather
    {
        /// <summary>Gets the weather in a city.</summary>
        [KernelFunction("get_weather")]
        [Description("Gets the weather in a city.")]
        public static string GetWeather([Description("The city.")] string city) => $"Sunny in {city}";
    }
}
