using System.ClientModel;
using System.ClientModel.Primitives;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Responses;
using PromptLogging.Interception.Conventions;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Interception;

/// <summary>
/// The OpenAI SDK's Responses API (<see cref="ResponsesClient"/>), attached directly or handed out by an attached
/// <see cref="OpenAIClient"/>, recorded as chat prompts against the tests' server speaking <c>/v1/responses</c>.
/// </summary>
public sealed class OpenAIResponsesClientTests
{
    private const string Instructions = "You are a weather bot.";
    private const string Question = "What should I wear in Paris?";

    private OpenAICompatibleServer _server = null!;
    private TestDatabase _database = null!;
    private PromptLogger _logger = null!;

    public enum ResponsesCall
    {
        CreateResponse,
        CreateResponseAsync,
        CreateResponseStreamingAsync,
        ProtocolCreateResponse,
        ProtocolCreateResponseAsync,
    }

    [SetUp]
    public void SetUp()
    {
        _server = OpenAICompatibleServer.Start();
        _server.ToolCalls = [new ToolCallReply("call_1", "get_weather", """{"city":"Paris"}""")];
        _server.ReplyModel = "gpt-4.1-2025-04-14";
        _server.ReasoningTokens = 3;
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

    [TestCase(ResponsesCall.CreateResponse)]
    [TestCase(ResponsesCall.CreateResponseAsync)]
    [TestCase(ResponsesCall.CreateResponseStreamingAsync)]
    [TestCase(ResponsesCall.ProtocolCreateResponse)]
    [TestCase(ResponsesCall.ProtocolCreateResponseAsync)]
    public async Task EveryPath_RecordsOneChatPromptWithInstructionsOutputToolCallsUsageAndWireKwargs(ResponsesCall path)
    {
        var client = _logger.AttachToClient(NewClient());

        var text = await CallAsync(client, path, Options(stream: path == ResponsesCall.CreateResponseStreamingAsync));

        Assert.That(text, Does.Contain("It's sunny!"), "the caller gets the reply untouched");
        Assert.That(_server.RequestCount, Is.EqualTo(1));
        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["namespace"], Is.EqualTo("my-namespace"));
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1"), "the requested model");
        Assert.That((string?)line["provider"], Is.EqualTo("openai"));
        JsonAssert.AreEqual(
            $$"""[{"role": "system", "content": "{{Instructions}}"}, {"role": "user", "content": "{{Question}}"}]""",
            line["messages"]);
        JsonAssert.AreEqual(
            """
            [{"role": "assistant", "content": "It's sunny!", "finish_reason": "tool_calls",
              "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]}]
            """,
            line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 12, "output_tokens": 7, "reasoning_tokens": 3}""", line["usage"]);
        Assert.That((string?)line["tools"]![0]!["function"]!["name"], Is.EqualTo("get_weather"));

        // The generation kwargs are what the Responses API received, under its names, minus what is recorded elsewhere.
        var wire = (JsonObject)JsonNode.Parse(_server.RequestBodies.Single())!;
        foreach (var recordedElsewhere in new[] { "input", "instructions", "model", "stream", "tools" })
        {
            wire.Remove(recordedElsewhere);
        }

        JsonAssert.AreEqual(wire.ToJsonString(), line["generation_kwargs"]);
        Assert.That((int?)line["generation_kwargs"]!["max_output_tokens"], Is.EqualTo(20));
        Assert.That((double?)line["generation_kwargs"]!["temperature"], Is.EqualTo(0.5).Within(1e-6));
        Assert.That((double?)line["generation_kwargs"]!["top_p"], Is.EqualTo(0.9).Within(1e-6));

        var streamed = path == ResponsesCall.CreateResponseStreamingAsync;
        Assert.That(line.ContainsKey("stream"), Is.EqualTo(streamed));
        Assert.That(line.ContainsKey("time_to_first_token_seconds"), Is.EqualTo(streamed));
        if (streamed)
        {
            Assert.That((double)line["time_to_first_token_seconds"]!, Is.GreaterThan(0).And.LessThanOrEqualTo((double)line["inference_seconds"]!));
        }
    }

    [Test]
    public async Task CreateResponseAsync_WithModelAndText_RecordsTheUserMessageAndTheReplyText()
    {
        _server.ToolCalls = [];
        var client = _logger.AttachToClient(NewClient());

        ResponseResult reply = await client.CreateResponseAsync("gpt-4.1-mini", "Hi there");

        Assert.That(reply.GetOutputText(), Is.EqualTo("It's sunny!"));
        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1-mini"));
        JsonAssert.AreEqual("""[{"role": "user", "content": "Hi there"}]""", line["messages"]);
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's sunny!", "finish_reason": "stop"}]""", line["completions"]);
        Assert.That(line.ContainsKey("generation_kwargs"), Is.False, "nothing but the model and the input was sent");
    }

    [Test]
    public void CreateResponse_AConversationWithAFunctionCallAndItsOutput_RecordsThemAsChatMessages()
    {
        var client = _logger.AttachToClient(NewClient());

        client.CreateResponse("gpt-4.1",
        [
            ResponseItem.CreateUserMessageItem(Question),
            ResponseItem.CreateFunctionCallItem("call_0", "get_weather", BinaryData.FromString("""{"city":"Paris"}""")),
            ResponseItem.CreateFunctionCallOutputItem("call_0", "18 C, light rain"),
            ResponseItem.CreateAssistantMessageItem("Take an umbrella."),
            ResponseItem.CreateUserMessageItem("And tomorrow?"),
        ]);

        JsonAssert.AreEqual(
            """
            [{"role": "user", "content": "What should I wear in Paris?"},
             {"role": "assistant",
              "tool_calls": [{"id": "call_0", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
             {"role": "tool", "content": "18 C, light rain", "tool_call_id": "call_0"},
             {"role": "assistant", "content": "Take an umbrella."},
             {"role": "user", "content": "And tomorrow?"}]
            """,
            _database.ExportChat(_logger).Single()["messages"]);
    }

    [Test]
    public async Task AttachedOpenAIClient_GetResponsesClient_HandsOutAnAttachedClientRecordedUnderTheLoggersNamespace()
    {
        var original = new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = _server.Endpoint,
            RetryPolicy = new ClientRetryPolicy(0),
        });
        OpenAIClient attached = _logger.AttachToClient(original);

        var responses = attached.GetResponsesClient();
        responses.CreateResponse(Options(stream: false));
        await foreach (var update in await responses.CreateResponseStreamingAsync(Options(stream: true)))
        {
            Assert.That(update, Is.Not.Null);
        }

        var unattached = original.GetResponsesClient();
        Assert.That(responses.Endpoint, Is.EqualTo(unattached.Endpoint));
        Assert.That(responses.Pipeline, Is.SameAs(unattached.Pipeline));
        var lines = _database.ExportChat(_logger);
        Assert.That(lines, Has.Count.EqualTo(2), "one record per call");
        Assert.That(lines.Select(static l => (string?)l["namespace"]), Is.All.EqualTo("my-namespace"));
        Assert.That(lines.Select(static l => l.ContainsKey("stream")), Is.EqualTo(new[] { false, true }));
        Assert.That(lines.Select(static l => (string?)l["completions"]![0]!["content"]), Is.All.EqualTo("It's sunny!"));
    }

    [Test]
    public async Task AsIChatClient_OverTheAttachedResponsesClient_AnswersAndRecordsTheCallOnce()
    {
        // Microsoft.Extensions.AI.OpenAI 10.11's streaming bridge calls a CreateResponseStreamingAsync signature that
        // OpenAI 2.15 no longer has (MissingMethodException, attached or not); its non-streamed bridge works.
        _server.ToolCalls = [];
        var chat = _logger.AttachToClient(NewClient()).AsIChatClient("gpt-4.1-mini");

        var response = await chat.GetResponseAsync("Hi");

        Assert.That(response.Text, Is.EqualTo("It's sunny!"));
        Assert.That(_server.RequestCount, Is.EqualTo(1));
        var line = _database.ExportChat(_logger).Single();
        JsonAssert.AreEqual("""[{"role": "user", "content": "Hi"}]""", line["messages"]);
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1-mini"));
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's sunny!", "finish_reason": "stop"}]""", line["completions"]);
    }

    [Test]
    public async Task RecordersOverTheBridgeOfAnAttachedResponsesClient_RecordEachCallOnce()
    {
        // Like the bridge over an attached ChatClient: every call of the bridge reaches the attached ResponsesClient,
        // which records it; neither attaching the bridge nor a middleware of the same logger over it records it again.
        _server.ToolCalls = [];
        var bridge = _logger.AttachToClient(NewClient()).AsIChatClient("gpt-4.1-mini");
        var attached = _logger.AttachToClient(bridge);
        var pipeline = new ChatClientBuilder(bridge).UsePromptLogger(_logger).Build();

        await attached.GetResponseAsync("Hi");
        await pipeline.GetResponseAsync("Hi");

        Assert.That(_server.RequestCount, Is.EqualTo(2));
        Assert.That(_database.ExportChat(_logger), Has.Count.EqualTo(2), "one record per call");
        Assert.That(attached, Is.SameAs(bridge), "the attached ResponsesClient under the bridge records its calls already");
    }

    [Test]
    public void AttachedResponsesClient_EveryPublicProperty_ReturnsTheOriginalsValue()
    {
        var original = NewClient();

        var attached = _logger.AttachToClient(original);

        Assert.That(attached, Is.Not.SameAs(original));
        var properties = typeof(ResponsesClient).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        Assert.That(properties.Select(static p => p.Name), Is.SupersetOf(new[] { "Endpoint", "Pipeline" }));
        Assert.Multiple(() =>
        {
            foreach (var property in properties)
            {
                Assert.That(property.GetValue(attached), Is.EqualTo(property.GetValue(original)).And.Not.Null, property.Name);
            }
        });
        Assert.That(attached.Pipeline, Is.SameAs(original.Pipeline));
    }

    [Test]
    public void CreateResponse_Http500_IsRecordedWithItsErrorAndRethrownAsTheOriginalWould()
    {
        _server.Mode = ServerMode.Fail500;
        var original = NewClient();
        var client = _logger.AttachToClient(original);

        var withoutProxy = Assert.Throws<ClientResultException>(() => original.CreateResponse(Options(stream: false)))!;
        var withProxy = Assert.Throws<ClientResultException>(() => client.CreateResponse(Options(stream: false)))!;

        Assert.That(withProxy.Status, Is.EqualTo(withoutProxy.Status).And.EqualTo(500));
        Assert.That(withProxy.Message, Is.EqualTo(withoutProxy.Message));
        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["error"], Does.StartWith("System.ClientModel.ClientResultException: "));
        JsonAssert.AreEqual(
            $$"""[{"role": "system", "content": "{{Instructions}}"}, {"role": "user", "content": "{{Question}}"}]""",
            line["messages"]);
        Assert.That(line.ContainsKey("completions") && line["completions"]!.AsArray().Count > 0, Is.False);
    }

    [Test]
    public void CreateResponseStreamingAsync_Http500_IsRecordedAsAFailedStreamAndRethrown()
    {
        _server.Mode = ServerMode.Fail500;
        var client = _logger.AttachToClient(NewClient());

        Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            await foreach (var update in await client.CreateResponseStreamingAsync(Options(stream: true)))
            {
                Assert.That(update, Is.Not.Null);
            }
        });

        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["error"], Does.StartWith("System.ClientModel.ClientResultException: "));
        Assert.That((bool?)line["stream"], Is.True);
    }

    [Test]
    public void CreateResponseStreamingAsync_ConnectionDroppedAfterTheFirstDelta_RecordsTheTextSeenAndTheError()
    {
        _server.Mode = ServerMode.FailMidStream;
        var client = _logger.AttachToClient(NewClient());
        var seen = new System.Text.StringBuilder();

        Assert.That(async () =>
        {
            await foreach (var update in await client.CreateResponseStreamingAsync(Options(stream: true)))
            {
                if (update is StreamingResponseOutputTextDeltaUpdate delta)
                {
                    seen.Append(delta.Delta);
                }
            }
        }, Throws.Exception);

        // No response.completed arrived: the completion is assembled from the text deltas that did.
        Assert.That(seen.ToString(), Is.EqualTo("It's"));
        var line = _database.ExportChat(_logger).Single();
        Assert.That((bool?)line["stream"], Is.True);
        Assert.That((string?)line["error"], Is.Not.Null.And.Not.Empty);
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's"}]""", line["completions"]);
        Assert.That(line.ContainsKey("usage"), Is.False, "usage arrives with response.completed only");
        Assert.That(line.ContainsKey("time_to_first_token_seconds"), Is.True);
    }

    [Test]
    public void ResponsesClient_OnlyTheProtocolCreateResponseMethodsAreChatCalls()
    {
        var convention = ChatMethodConvention.For(null);

        var chatCalls = typeof(ResponsesClient).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => convention.Find(m) is not null)
            .Select(static m => $"{m.Name}({string.Join(", ", m.GetParameters().Select(static p => p.ParameterType.Name))})")
            .Order(StringComparer.Ordinal);

        // GetResponse(responseId) fetches a stored response: it is no chat call, although GetResponse is a chat name.
        Assert.That(chatCalls, Is.EqualTo(new[]
        {
            "CreateResponse(BinaryContent, RequestOptions)",
            "CreateResponseAsync(BinaryContent, RequestOptions)",
        }));
    }

    private ResponsesClient NewClient() =>
        new(new ApiKeyCredential("test-key"), new ResponsesClientOptions { Endpoint = _server.Endpoint, RetryPolicy = new ClientRetryPolicy(0) });

    private static CreateResponseOptions Options(bool stream)
    {
        var options = new CreateResponseOptions("gpt-4.1", [ResponseItem.CreateUserMessageItem(Question)])
        {
            Instructions = Instructions,
            MaxOutputTokenCount = 20,
            Temperature = 0.5f,
            TopP = 0.9f,
            StreamingEnabled = stream ? true : null,
        };
        options.Tools.Add(ResponseTool.CreateFunctionTool(
            "get_weather",
            BinaryData.FromString("""{"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}"""),
            strictModeEnabled: false,
            functionDescription: "The weather in a city."));
        return options;
    }

    private static string OutputText(ClientResult result) =>
        (string)JsonNode.Parse(result.GetRawResponse().Content.ToString())!["output"]![0]!["content"]![0]!["text"]!;

    private static async Task<string> CallAsync(ResponsesClient client, ResponsesCall path, CreateResponseOptions options)
    {
        switch (path)
        {
            case ResponsesCall.CreateResponse:
                return client.CreateResponse(options).Value.GetOutputText();
            case ResponsesCall.CreateResponseAsync:
                return (await client.CreateResponseAsync(options)).Value.GetOutputText();
            case ResponsesCall.CreateResponseStreamingAsync:
                var text = new System.Text.StringBuilder();
                await foreach (var update in await client.CreateResponseStreamingAsync(options))
                {
                    if (update is StreamingResponseOutputTextDeltaUpdate delta)
                    {
                        text.Append(delta.Delta);
                    }
                }

                return text.ToString();
            case ResponsesCall.ProtocolCreateResponse:
                return OutputText(client.CreateResponse(BinaryContent.Create(options), new RequestOptions()));
            default:
                return OutputText(await client.CreateResponseAsync(BinaryContent.Create(options), new RequestOptions()));
        }
    }
}
