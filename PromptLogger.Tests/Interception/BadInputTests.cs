using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;

namespace PromptLogging.Tests.Interception;

/// <summary>
/// Bad input to the library: null and empty prompts, huge messages, lone surrogates, messages without content,
/// arguments no serializer can write, cyclic object graphs and results that throw when read. Each call returns what it
/// returned without PromptLogger, and what can be read is stored in a real SQLite file.
/// </summary>
public sealed class BadInputTests
{
    private const string LoneHigh = "\uD800 alone";
    private const string LoneLow = "x\uDC00y";

    private TestDatabase _database = null!;
    private CollectingLogger _diagnostics = null!;
    private PromptLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _database = new TestDatabase();
        _diagnostics = new CollectingLogger();
        _logger = _database.CreateLogger("my-namespace", options => options.Logger = _diagnostics);
    }

    [TearDown]
    public void TearDown()
    {
        _logger.Dispose();
        _database.Dispose();
    }

    // Null and empty prompts

    [Test]
    public void SaveInteraction_WithNullPrompt_ThrowsNamingTheParameterAndKeepsWhatWasStored()
    {
        _logger.SaveInteraction("before", "kept");

        Assert.That(() => _logger.SaveInteraction(null!, "r"), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("prompt"));

        var line = _database.ExportText(_logger).Single();
        Assert.That((string?)line["prompt"], Is.EqualTo("before"));
        Assert.That((string?)line["response"], Is.EqualTo("kept"));
    }

    [Test]
    public void SaveInteraction_WithEmptyPrompt_StoresTheRecordAndTheExportLeavesTheEmptyFieldOut()
    {
        _logger.SaveInteraction(string.Empty, "a response to nothing");
        _logger.SaveInteraction(string.Empty, string.Empty);

        var lines = _database.ExportText(_logger);

        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(JsonAssert.Keys(lines[0]), Is.EqualTo(new[] { "id", "namespace", "response", "inference_on" }));
        Assert.That((string?)lines[0]["response"], Is.EqualTo("a response to nothing"));
        Assert.That(JsonAssert.Keys(lines[1]), Is.EqualTo(new[] { "id", "namespace", "inference_on" }));
    }

    [TestCase(null)]
    [TestCase("")]
    public void Complete_OnACustomInterfaceWithANullOrEmptyPrompt_ReturnsNormallyAndIsRecorded(string? prompt)
    {
        var model = _logger.AttachToClient<ITextModel>(new FakeTextModel());

        var response = model.Complete(prompt!);

        Assert.That(response, Is.EqualTo("echo: "));
        var line = _database.ExportText(_logger).Single();
        Assert.That(line.ContainsKey("prompt"), Is.False, "a null or empty prompt is left out of the export");
        Assert.That((string?)line["response"], Is.EqualTo("echo: "));
        Assert.That(_diagnostics.Entries, Is.Empty);
    }

    // Ten megabytes

    [Test]
    public void CompleteChat_WithATenMegabyteMessageAndReply_SucceedsAndExportsBothWhole()
    {
        using var server = OpenAICompatibleServer.Start();
        var message = Repeat("Ten megabytes of prompt, with accents (é, ü) and an emoji 🌍 in every line.\n", 10 * 1024 * 1024);
        var reply = Repeat("A long answer. ", 10 * 1024 * 1024);
        server.ReplyContent = reply;
        var client = _logger.AttachToClient(new ChatClient("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = server.Endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromMinutes(1),
        }));

        ChatCompletion completion = client.CompleteChat([new UserChatMessage(message)]);

        Assert.That(completion.Content[0].Text, Has.Length.EqualTo(reply.Length));
        var line = _database.ExportChat(_logger).Single();
        var exportedMessage = (string)line["messages"]![0]!["content"]!;
        var exportedReply = (string)line["completions"]![0]!["content"]!;
        Assert.That(exportedMessage, Has.Length.EqualTo(message.Length));
        Assert.That(string.Equals(exportedMessage, message, StringComparison.Ordinal), Is.True, "the message, character for character");
        Assert.That(exportedReply, Has.Length.EqualTo(reply.Length));
        Assert.That(string.Equals(exportedReply, reply, StringComparison.Ordinal), Is.True, "the reply, character for character");
    }

    // Lone UTF-16 surrogates

    [Test]
    public void SaveInteraction_WithLoneSurrogates_StoresAndExportsValidUtf8()
    {
        _logger.SaveInteraction(LoneHigh, LoneLow);

        var line = ExportStrict(path => _logger.ExportTextPrompts(path)).Single();

        Assert.That(line.GetProperty("prompt").GetString(), Is.EqualTo(Sanitized(LoneHigh)));
        Assert.That(line.GetProperty("response").GetString(), Is.EqualTo(Sanitized(LoneLow)));
        Assert.That(_diagnostics.Entries, Is.Empty);
    }

    [Test]
    public void Complete_OnACustomInterfaceWithALoneSurrogate_ReturnsTheSameTextAndExportsValidUtf8()
    {
        var model = _logger.AttachToClient<ITextModel>(new FakeTextModel());

        var response = model.Complete(LoneHigh);

        Assert.That(response, Is.EqualTo("echo: " + LoneHigh), "the caller's text is untouched");
        var line = ExportStrict(path => _logger.ExportTextPrompts(path)).Single();
        Assert.That(line.GetProperty("prompt").GetString(), Is.EqualTo(Sanitized(LoneHigh)));
        Assert.That(line.GetProperty("response").GetString(), Is.EqualTo(Sanitized("echo: " + LoneHigh)));
    }

    [Test]
    public async Task ChatAsync_WithLoneSurrogatesInMessagesAndReply_ReturnsNormallyAndExportsValidUtf8()
    {
        var model = _logger.AttachToClient<IChatModel>(new FakeChatModel { ReplyText = LoneHigh });

        var reply = await model.ChatAsync([new Turn(Speaker.System, LoneHigh), new Turn(Speaker.User, LoneLow)], "gpt-4.1", 50);

        Assert.That(reply.Content, Is.EqualTo(LoneHigh));
        var line = ExportStrict(path => _logger.ExportChatPrompts(path)).Single();
        var messages = line.GetProperty("messages");
        Assert.That(messages[0].GetProperty("content").GetString(), Is.EqualTo(Sanitized(LoneHigh)));
        Assert.That(messages[1].GetProperty("content").GetString(), Is.EqualTo(Sanitized(LoneLow)));
        Assert.That(line.GetProperty("completions")[0].GetProperty("content").GetString(), Is.EqualTo(Sanitized(LoneHigh)));
        Assert.That(_diagnostics.Entries, Is.Empty, "nothing was dropped");
    }

    [Test]
    public async Task GetResponseAsync_WithLoneSurrogatesInMessagesAndOptions_ReturnsNormallyAndExportsValidUtf8()
    {
        using var server = OpenAICompatibleServer.Start();
        var client = _logger.AttachToClient(NewChatClient(server));
        var options = new ChatOptions { Instructions = LoneLow, StopSequences = [LoneHigh] };

        var response = await client.GetResponseAsync([new AIChatMessage(AIChatRole.User, LoneHigh)], options);

        Assert.That(response.Text, Is.EqualTo("It's sunny!"));
        var line = ExportStrict(path => _logger.ExportChatPrompts(path)).Single();
        // The instructions are the leading system message, as the bridge sends them.
        Assert.That(line.GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo(Sanitized(LoneLow)));
        Assert.That(line.GetProperty("messages")[1].GetProperty("content").GetString(), Is.EqualTo(Sanitized(LoneHigh)));
        Assert.That(line.GetProperty("generation_kwargs").GetProperty("stop")[0].GetString(), Is.EqualTo(Sanitized(LoneHigh)));
    }

    // Messages without content

    [Test]
    public async Task GetResponseAsync_WithAMessageThatHasNoContents_RecordsItsRoleWithoutContent()
    {
        using var server = OpenAICompatibleServer.Start();
        var client = _logger.AttachToClient(NewChatClient(server));

        await client.GetResponseAsync([new AIChatMessage(AIChatRole.User, "Hi"), new AIChatMessage { Role = AIChatRole.Assistant }, new AIChatMessage(AIChatRole.User, "Still there?")]);

        JsonAssert.AreEqual(
            """[{"role": "user", "content": "Hi"}, {"role": "assistant"}, {"role": "user", "content": "Still there?"}]""",
            _database.ExportChat(_logger).Single()["messages"]);
    }

    [Test]
    public void CompleteChat_WithAnAssistantMessageThatOnlyCallsTools_RecordsItsRoleAndToolCallsWithoutContent()
    {
        using var server = OpenAICompatibleServer.Start();
        var client = _logger.AttachToClient(new ChatClient("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = server.Endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        }));

        client.CompleteChat(
            new UserChatMessage("Weather in Paris?"),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_1", "get_weather", BinaryData.FromString("""{"city":"Paris"}"""))]),
            new ToolChatMessage("call_1", "Sunny"));

        JsonAssert.AreEqual(
            """
            [{"role": "user", "content": "Weather in Paris?"},
             {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
             {"role": "tool", "content": "Sunny", "tool_call_id": "call_1"}]
            """,
            _database.ExportChat(_logger).Single()["messages"]);
    }

    [Test]
    public async Task ChatAsync_WithAMessageLikeObjectWhoseContentIsNull_RecordsItsRoleWithoutContent()
    {
        var model = _logger.AttachToClient<IMemoModel>(new FakeMemoModel());

        var reply = await model.ChatAsync([new Memo("system", null), new Memo("user", "Hello")]);

        Assert.That(reply.Content, Is.EqualTo("It's sunny!"));
        JsonAssert.AreEqual("""[{"role": "system"}, {"role": "user", "content": "Hello"}]""", _database.ExportChat(_logger).Single()["messages"]);
    }

    // Arguments and values no serializer can write

    [Test]
    public async Task ChatAsync_WithUnreadableMessageAndUnserializableArguments_ReturnsNormallyAndRecordsWhatCanBeRead()
    {
        var model = _logger.AttachToClient<IMemoModel>(new FakeMemoModel());
        using var attachment = new MemoryStream([1, 2, 3]);
        var options = new Dictionary<string, object?> { ["stream"] = attachment, ["extra"] = new ThrowingProperty() };

        var reply = await model.ChatAsync(
            [new Memo("user", "Hello"), new UnreadableMemo("user"), new Memo("user", "Anyone?")],
            options,
            attachment,
            static text => text.ToUpperInvariant(),
            new ThrowingProperty());

        Assert.That(reply.Content, Is.EqualTo("IT'S SUNNY!"));
        var line = _database.ExportChat(_logger).Single();
        JsonAssert.AreEqual(
            """[{"role": "user", "content": "Hello"}, {"role": "user"}, {"role": "user", "content": "Anyone?"}]""",
            line["messages"],
            "the unreadable message keeps its role and its place; the others are whole");
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "IT'S SUNNY!", "finish_reason": "stop"}]""", line["completions"]);
        Assert.That(_diagnostics.Entries.Select(static e => e.Exception?.Message), Has.Some.Contains("the content of this memo cannot be read"));
    }

    [Test]
    public async Task GetResponseAsync_WithAdditionalPropertiesNoSerializerCanWrite_RecordsThemByTypeName()
    {
        // A client that is not OpenAI's bridge: its additional properties are recorded (OpenAI's bridge does not send them).
        var client = _logger.AttachToClient<IChatClient>(new FixedReplyChatClient());
        using var attachment = new MemoryStream([1, 2, 3]);
        var options = new ChatOptions
        {
            MaxOutputTokens = 50,
            AdditionalProperties = new()
            {
                ["user_tag"] = "kept",
                ["attachment"] = attachment,
                ["callback"] = (Func<string, string>)(static text => text),
                ["extra"] = new ThrowingProperty(),
            },
        };

        var response = await client.GetResponseAsync([new AIChatMessage(AIChatRole.User, "Hi")], options);

        Assert.That(response.Text, Is.EqualTo("Done."));
        var line = _database.ExportChat(_logger).Single();
        JsonAssert.AreEqual(
            $$"""
            {"max_completion_tokens": 50, "user_tag": "kept", "attachment": "System.IO.MemoryStream",
             "callback": "{{typeof(Func<string, string>)}}", "extra": "{{typeof(ThrowingProperty).FullName}}"}
            """,
            line["generation_kwargs"]);
        JsonAssert.AreEqual("""[{"role": "user", "content": "Hi"}]""", line["messages"]);
    }

    [Test]
    public async Task GetResponseAsync_WithToolCallArgumentsNoSerializerCanWrite_RecordsThoseValuesByTypeName()
    {
        // The OpenAI SDK would refuse to send a stream as a tool argument; this fake answers without sending anything.
        var client = _logger.AttachToClient<IChatClient>(new FixedReplyChatClient());
        using var attachment = new MemoryStream([1, 2, 3]);
        var call = new FunctionCallContent("call_1", "upload", new Dictionary<string, object?> { ["name"] = "a.txt", ["file"] = attachment });

        await client.GetResponseAsync(
        [
            new AIChatMessage(AIChatRole.User, "Upload it"),
            new AIChatMessage(AIChatRole.Assistant, [call]),
            new AIChatMessage(AIChatRole.Tool, [new FunctionResultContent("call_1", new ThrowingProperty())]),
        ]);

        var messages = _database.ExportChat(_logger).Single()["messages"]!;
        var arguments = (string)messages[1]!["tool_calls"]![0]!["function"]!["arguments"]!;
        JsonAssert.AreEqual("""{"name": "a.txt", "file": "System.IO.MemoryStream"}""", System.Text.Json.Nodes.JsonNode.Parse(arguments));
        Assert.That((string?)messages[2]!["content"], Is.EqualTo(typeof(ThrowingProperty).FullName));
        Assert.That((string?)messages[2]!["tool_call_id"], Is.EqualTo("call_1"));
    }

    // Cyclic object graphs

    [Test]
    public async Task ChatAsync_WithCyclicMessagesAndACyclicKwargsArgument_ReturnsNormallyAndIsRecorded()
    {
        var model = _logger.AttachToClient<IMemoModel>(new FakeMemoModel());
        var parent = new Memo("system", "Be brief.");
        var child = new Memo("user", "Hello") { Parent = parent };
        parent.Parent = child;
        var options = new Dictionary<string, object?> { ["temperature"] = 0.5 };
        options["self"] = options;

        var reply = await model.ChatAsync([parent, child], options).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(reply.Content, Is.EqualTo("It's sunny!"));
        JsonAssert.AreEqual(
            """[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}]""",
            _database.ExportChat(_logger).Single()["messages"]);
    }

    [Test]
    public async Task GetResponseAsync_WithCyclicAdditionalProperties_ReturnsNormallyAndRecordsThemByTypeName()
    {
        // A client that is not OpenAI's bridge: its additional properties are recorded (OpenAI's bridge does not send them).
        var client = _logger.AttachToClient<IChatClient>(new FixedReplyChatClient());
        var additional = new AdditionalPropertiesDictionary { ["user_tag"] = "kept", ["node"] = new CyclicNode() };
        additional["self"] = additional;

        var response = await client.GetResponseAsync([new AIChatMessage(AIChatRole.User, "Hi")], new ChatOptions { AdditionalProperties = additional })
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(response.Text, Is.EqualTo("Done."));
        var kwargs = _database.ExportChat(_logger).Single()["generation_kwargs"]!;
        Assert.That((string?)kwargs["user_tag"], Is.EqualTo("kept"));
        Assert.That((string?)kwargs["node"], Is.EqualTo(typeof(CyclicNode).FullName));
        Assert.That((string?)kwargs["self"], Is.EqualTo(typeof(AdditionalPropertiesDictionary).FullName));
    }

    // Results that throw when read

    [Test]
    public void Ask_WhenTheResultThrowsWhenRead_ReturnsTheSameObjectAndStoresTheCallWithoutResponse()
    {
        var original = new FakeMemoModel();
        var model = _logger.AttachToClient<IMemoModel>(original);

        var reply = model.Ask("Hi");

        Assert.That(reply, Is.SameAs(original.LastReply));
        var line = _database.ExportText(_logger).Single();
        Assert.That((string?)line["prompt"], Is.EqualTo("Hi"));
        Assert.That(line.ContainsKey("response"), Is.False);
        Assert.That(line.ContainsKey("error"), Is.False, "the call itself succeeded");
        AssertReported("the content of this reply cannot be read");
    }

    [Test]
    public async Task GenerateAsync_WhenTheAwaitedResultThrowsWhenRead_ReturnsTheSameObjectAndStoresTheCallWithoutResponse()
    {
        var original = new FakeMemoModel();
        var model = _logger.AttachToClient<IMemoModel>(original);

        var reply = await model.GenerateAsync("Hi");

        Assert.That(reply, Is.SameAs(original.LastReply));
        var line = _database.ExportText(_logger).Single();
        Assert.That((string?)line["prompt"], Is.EqualTo("Hi"));
        Assert.That(line.ContainsKey("response"), Is.False);
        AssertReported("the content of this reply cannot be read");
    }

    [Test]
    public async Task ChatStreamingAsync_WhenUpdatesThrowWhenRead_DeliversEveryUpdateAndStoresTheCallWithoutCompletions()
    {
        var model = _logger.AttachToClient<IMemoModel>(new FakeMemoModel());

        var updates = 0;
        await foreach (var update in model.ChatStreamingAsync([new Memo("user", "Hi")]))
        {
            Assert.That(update, Is.InstanceOf<UnreadableReply>());
            updates++;
        }

        Assert.That(updates, Is.EqualTo(2));
        var line = _database.ExportChat(_logger).Single();
        JsonAssert.AreEqual("""[{"role": "user", "content": "Hi"}]""", line["messages"]);
        Assert.That(line.ContainsKey("completions"), Is.False);
        Assert.That((bool?)line["stream"], Is.True);
        AssertReported("the content of this reply cannot be read");
    }

    private static string Repeat(string unit, int atLeast)
    {
        var text = new StringBuilder(atLeast + unit.Length);
        while (text.Length < atLeast)
        {
            text.Append(unit);
        }

        return text.ToString();
    }

    /// <summary>The text as valid UTF-8 can carry it: each lone surrogate replaced by U+FFFD.</summary>
    private static string Sanitized(string text) => new UTF8Encoding(false).GetString(new UTF8Encoding(false).GetBytes(text));

    private static IChatClient NewChatClient(OpenAICompatibleServer server) =>
        new ChatClient("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = server.Endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        }).AsIChatClient();

    /// <summary>Exports to a file and parses it strictly: valid UTF-8, one JSON object a line.</summary>
    private List<JsonElement> ExportStrict(Func<string, int> export)
    {
        var path = Path.Combine(_database.Folder, Guid.NewGuid().ToString("N") + ".jsonl");
        var count = export(path);
        var lines = Jsonl.Read(path);
        Assert.That(lines, Has.Count.EqualTo(count));
        return lines;
    }

    private void AssertReported(string message) =>
        Assert.That(
            _diagnostics.Entries.Where(static e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(static e => e.Exception?.Message),
            Has.Some.EqualTo(message),
            "the failure to read is reported through PromptLoggerOptions.Logger");
}
