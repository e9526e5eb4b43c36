using System.ClientModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;
using ChatMessage = OpenAI.Chat.ChatMessage;

namespace PromptLogging.Tests.Interception;

/// <summary>
/// One vocabulary for generation parameters: the same call made through the OpenAI SDK, through
/// <c>AttachToClient(IChatClient)</c> and through <c>UsePromptLogger</c> records the same <c>generation_kwargs</c> —
/// the names the provider received on the wire — and an <see cref="IChatClient"/> that is not OpenAI's records the
/// Chat Completions names.
/// </summary>
public sealed class GenerationKwargsVocabularyTests : ServerAndLoggerFixture
{
    // The request fields that are not generation parameters (recorded as messages, model, stream, tools).
    private static readonly string[] NotKwargs = ["messages", "model", "stream", "stream_options", "tools"];

    // What differs between two records of the same call: their ids and times.
    private static readonly string[] IdsAndTimes = ["id", "response_id", "inference_on", "inference_seconds", "time_to_first_token_seconds", "conversation_id"];

    private const string WeatherSchema =
        """{"type":"object","required":["city"],"properties":{"city":{"type":"string"}},"additionalProperties":false}""";

    protected override string LoggerNamespace => "vocabulary";

    [TestCase(false)]
    [TestCase(true)]
    public async Task TheSameCall_ThroughTheSdkAttachToClientAndUsePromptLogger_RecordsTheSameRecordWithTheWiresNames(bool streamed)
    {
        // 1. The OpenAI SDK's ChatClient, attached.
        var sdk = Logger.AttachToClient(NewChatClient());
        ChatMessage[] sdkMessages = [new SystemChatMessage("You are a weather bot."), new UserChatMessage("Weather in Paris?")];
        if (streamed)
        {
            await foreach (var _ in sdk.CompleteChatStreamingAsync(sdkMessages, SdkOptions()))
            {
            }
        }
        else
        {
            await sdk.CompleteChatAsync(sdkMessages, SdkOptions());
        }

        // 2. The Microsoft.Extensions.AI bridge over a new SDK client, attached as an IChatClient.
        await CallAsync(Logger.AttachToClient(NewChatClient().AsIChatClient()), streamed);

        // 3. The same bridge in a ChatClientBuilder pipeline with UsePromptLogger.
        using var pipeline = new ChatClientBuilder(NewChatClient().AsIChatClient()).UsePromptLogger(Logger).Build();
        await CallAsync(pipeline, streamed);

        var wire = Server.RequestBodies.Select(static body => (JsonObject)JsonNode.Parse(body)!).ToList();
        Assert.That(wire, Has.Count.EqualTo(3));
        for (var i = 1; i < wire.Count; i++)
        {
            JsonAssert.AreEqual(wire[0].ToJsonString(), wire[i], $"request {i + 1} is the same call on the wire as request 1");
        }

        var records = Database.ExportChat(Logger);
        Assert.That(records, Has.Count.EqualTo(3));
        var expectedKwargs = Without(wire[0], NotKwargs);
        Assert.That(
            JsonAssert.Keys(expectedKwargs),
            Is.EquivalentTo(new[] { "max_completion_tokens", "temperature", "top_p", "stop", "seed", "tool_choice", "parallel_tool_calls" }),
            "the wire carried these parameters");
        for (var i = 0; i < records.Count; i++)
        {
            JsonAssert.AreEqual(expectedKwargs.ToJsonString(), records[i]["generation_kwargs"], $"record {i + 1}: generation_kwargs are the wire's parameters");
        }

        var first = Without(records[0], IdsAndTimes);
        for (var i = 1; i < records.Count; i++)
        {
            var other = Without(records[i], IdsAndTimes);
            Assert.That(JsonAssert.Keys(other), Is.EqualTo(JsonAssert.Keys(first)), $"record {i + 1} has the fields of record 1");
            foreach (var (name, value) in first)
            {
                JsonAssert.AreEqual(value?.ToJsonString() ?? "null", other[name], $"record {i + 1}, field {name}");
            }
        }

        Assert.That((string?)records[0]["provider"], Is.EqualTo("openai"));
        JsonAssert.AreEqual(
            """[{"role": "system", "content": "You are a weather bot."}, {"role": "user", "content": "Weather in Paris?"}]""",
            records[0]["messages"]);
    }

    [Test]
    public async Task InstructionsAndAdditionalPropertiesThroughTheOpenAIBridge_AreRecordedAsTheWireCarriedThem()
    {
        var attached = Logger.AttachToClient(NewChatClient().AsIChatClient());

        await attached.GetResponseAsync([new AIChatMessage(AIChatRole.User, "Weather in Paris?")], new ChatOptions { Instructions = "You are a weather bot.", Temperature = 0.5f, AdditionalProperties = new() { ["user"] = "u-1" } });

        var wire = (JsonObject)JsonNode.Parse(Server.RequestBodies.Single())!;
        var record = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual(
            """[{"role": "system", "content": "You are a weather bot."}, {"role": "user", "content": "Weather in Paris?"}]""",
            wire["messages"],
            "the bridge sends the instructions as a leading system message");
        JsonAssert.AreEqual(wire["messages"]!.ToJsonString(), record["messages"]);
        JsonAssert.AreEqual("""{"temperature": 0.5}""", Without(wire, NotKwargs), "the bridge does not send additional properties");
        JsonAssert.AreEqual("""{"temperature": 0.5}""", record["generation_kwargs"], "so they are not recorded as if it had");
    }

    [Test]
    public async Task TheSameOptions_ThroughOpenAIsResponsesBridge_AreRecordedUnderTheResponsesNamesItSent()
    {
        var capture = new RequestBodyCapture();
        var clientOptions = new OpenAIClientOptions { Endpoint = Server.Endpoint };
        clientOptions.AddPolicy(capture, System.ClientModel.Primitives.PipelinePosition.PerCall);
#pragma warning disable OPENAI001 // The Responses client is experimental in the SDK.
        var responses = new OpenAIClient(new ApiKeyCredential("test-key"), clientOptions).GetResponsesClient();
        var attached = Logger.AttachToClient(responses.AsIChatClient("gpt-4.1"));
#pragma warning restore OPENAI001
        var options = AIOptions();
        options.Instructions = "Answer briefly.";
        options.ToolMode = ChatToolMode.Auto;

        try
        {
            await attached.GetResponseAsync([new AIChatMessage(AIChatRole.User, "Weather in Paris?")], options);
        }
        catch (ClientResultException)
        {
            // This server may not speak the Responses API: the request was sent and is recorded with its error.
        }

        var wire = (JsonObject)JsonNode.Parse(capture.Bodies.Single())!;
        var sent = Without(wire, ["input", "model", "stream", "tools", "instructions"]);
        Assert.That((int?)sent["max_output_tokens"], Is.EqualTo(20), "the Responses API's name for the output limit");
        Assert.That(sent["stop"], Is.Null, "the bridge sends no stop sequences");
        var record = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual(sent.ToJsonString(), record["generation_kwargs"], "the record has the parameters the wire carried");
        Assert.That((string?)record["messages"]![0]!["content"], Is.EqualTo("Answer briefly."), "the instructions as a leading system message");
    }

    [TestCase("ollama")]
    [TestCase(null)]
    public async Task TheSameOptions_ThroughAnIChatClientThatIsNotOpenAI_AreRecordedUnderTheChatCompletionsNames(string? providerName)
    {
        var attached = Logger.AttachToClient<IChatClient>(new NotOpenAIChatClient(providerName));
        var options = AIOptions();
        options.TopK = 40;
        options.ToolMode = ChatToolMode.RequireSpecific("get_weather");
        options.AdditionalProperties = new() { ["num_ctx"] = 4096 };

        await attached.GetResponseAsync(AIMessages(), options);
        await new ChatClientBuilder(new NotOpenAIChatClient(providerName)).UsePromptLogger(Logger).Build().GetResponseAsync(AIMessages(), options);

        var records = Database.ExportChat(Logger);
        Assert.That(records, Has.Count.EqualTo(2));
        foreach (var record in records)
        {
            JsonAssert.AreEqual(
                """
                {"max_completion_tokens": 20, "temperature": 0.5, "top_p": 0.9, "top_k": 40, "seed": 42, "stop": ["END"],
                 "parallel_tool_calls": false, "tool_choice": {"type": "function", "function": {"name": "get_weather"}}, "num_ctx": 4096}
                """,
                record["generation_kwargs"]);
            Assert.That((string?)record["provider"], Is.EqualTo(providerName));
        }

        JsonAssert.AreEqual(Without(records[0], IdsAndTimes).ToJsonString(), Without(records[1], IdsAndTimes), "the middleware records what the proxy records");
    }

    [Test]
    public async Task TheProviderLookup_IsMadeOncePerClient_AndNotOnTheCallersThread()
    {
        var attachedClient = new NotOpenAIChatClient("ollama");
        var pipelineClient = new NotOpenAIChatClient("ollama");
        var attached = Logger.AttachToClient<IChatClient>(attachedClient);
        using var pipeline = new ChatClientBuilder(pipelineClient).UsePromptLogger(Logger).Build();

        // Visible to code running in the caller's flow only: the background writer started before it was set.
        NotOpenAIChatClient.InCallersFlow.Value = true;
        for (var i = 0; i < 3; i++)
        {
            await attached.GetResponseAsync(AIMessages(), AIOptions());
            await pipeline.GetResponseAsync(AIMessages(), AIOptions());
        }

        NotOpenAIChatClient.InCallersFlow.Value = false;
        var records = Database.ExportChat(Logger);

        Assert.That(records, Has.Count.EqualTo(6));
        Assert.That(records.Select(static r => (string?)r["provider"]), Is.All.EqualTo("ollama"));
        Assert.That(attachedClient.MetadataLookups, Is.EqualTo(1), "looked up once for the attached client");
        Assert.That(pipelineClient.MetadataLookups, Is.EqualTo(1), "looked up once for the pipeline's client");
        Assert.That(attachedClient.LookupsInCallersFlow + pipelineClient.LookupsInCallersFlow, Is.Zero, "looked up on the writer");
    }

    private static async Task CallAsync(IChatClient client, bool streamed)
    {
        if (!streamed)
        {
            await client.GetResponseAsync(AIMessages(), AIOptions());
            return;
        }

        await foreach (var _ in client.GetStreamingResponseAsync(AIMessages(), AIOptions()))
        {
        }
    }

    private ChatClient NewChatClient() =>
        new("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = Server.Endpoint });

#pragma warning disable OPENAI001 // Seed is experimental in the SDK.
    private static ChatCompletionOptions SdkOptions()
    {
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = 20,
            Temperature = 0.5f,
            TopP = 0.9f,
            Seed = 42,
            AllowParallelToolCalls = false,

            // The Microsoft.Extensions.AI bridge sends tool_choice "auto" whenever it sends tools and no tool mode is set.
            ToolChoice = ChatToolChoice.CreateAutoChoice(),
        };
#pragma warning restore OPENAI001
        options.StopSequences.Add("END");
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Weather by city", BinaryData.FromString(WeatherSchema)));
        return options;
    }

    private static List<AIChatMessage> AIMessages() =>
        [new AIChatMessage(AIChatRole.System, "You are a weather bot."), new AIChatMessage(AIChatRole.User, "Weather in Paris?")];

    private static ChatOptions AIOptions() => new()
    {
        MaxOutputTokens = 20,
        Temperature = 0.5f,
        TopP = 0.9f,
        StopSequences = ["END"],
        Seed = 42,
        AllowMultipleToolCalls = false,
        Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Weather by city", JsonDocument.Parse(WeatherSchema).RootElement)],
    };

    private static JsonObject Without(JsonObject source, string[] names)
    {
        var copy = (JsonObject)source.DeepClone();
        foreach (var name in names)
        {
            copy.Remove(name);
        }

        return copy;
    }

    /// <summary>Keeps the body of every request the SDK sends, whatever the server answers.</summary>
    private sealed class RequestBodyCapture : System.ClientModel.Primitives.PipelinePolicy
    {
        private readonly List<string> _bodies = [];

        public IReadOnlyList<string> Bodies
        {
            get
            {
                lock (_bodies)
                {
                    return [.. _bodies];
                }
            }
        }

        public override void Process(
            System.ClientModel.Primitives.PipelineMessage message, IReadOnlyList<System.ClientModel.Primitives.PipelinePolicy> pipeline, int currentIndex)
        {
            Keep(message);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override async ValueTask ProcessAsync(
            System.ClientModel.Primitives.PipelineMessage message, IReadOnlyList<System.ClientModel.Primitives.PipelinePolicy> pipeline, int currentIndex)
        {
            Keep(message);
            await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        }

        private void Keep(System.ClientModel.Primitives.PipelineMessage message)
        {
            if (message.Request.Content is not { } content)
            {
                return;
            }

            using var buffer = new MemoryStream();
            content.WriteTo(buffer);
            lock (_bodies)
            {
                _bodies.Add(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            }
        }
    }

    /// <summary>An <see cref="IChatClient"/> of another provider (or one that names none): answers without a network.</summary>
    private sealed class NotOpenAIChatClient(string? providerName) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new AIChatMessage(AIChatRole.Assistant, "It's sunny!")) { ModelId = "llama3.2" });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("This fake answers GetResponseAsync only.");

        private int _metadataLookups;
        private int _lookupsInCallersFlow;

        public static AsyncLocal<bool> InCallersFlow { get; } = new();

        public int MetadataLookups => Volatile.Read(ref _metadataLookups);

        public int LookupsInCallersFlow => Volatile.Read(ref _lookupsInCallersFlow);

        public object? GetService(Type serviceType, object? serviceKey = null)
        {
            if (serviceType != typeof(ChatClientMetadata))
            {
                return null;
            }

            Interlocked.Increment(ref _metadataLookups);
            if (InCallersFlow.Value)
            {
                Interlocked.Increment(ref _lookupsInCallersFlow);
            }

            return providerName is null ? null : new ChatClientMetadata(providerName, defaultModelId: "llama3.2");
        }

        public void Dispose()
        {
        }
    }
}
