using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Interception;

/// <summary>Custom LLM interfaces recognised by convention, proxied with DispatchProxy (or Castle where it cannot).</summary>
public sealed class CustomInterfaceTests
{
    private TestDatabase _database = null!;
    private PromptLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _database = new TestDatabase();
        _logger = _database.CreateLogger("my-namespace", options => options.ChatMethodNames.Add("Translate"));
    }

    [TearDown]
    public void TearDown()
    {
        _logger.Dispose();
        _database.Dispose();
    }

    [Test]
    public void Complete_SyncTextMethod_RecordsTheSeedsTextPromptShape()
    {
        var model = _logger.AttachToClient<ITextModel>(new FakeTextModel());

        var response = model.Complete("What is the weather?");

        Assert.That(model, Is.InstanceOf<System.Reflection.DispatchProxy>());

        Assert.That(response, Is.EqualTo("echo: What is the weather?"));
        var line = _database.ExportText(_logger).Single();
        Assert.That(JsonAssert.Keys(line), Is.EqualTo(new[] { "id", "namespace", "prompt", "response", "inference_on", "inference_seconds" }));
        Assert.That((string?)line["namespace"], Is.EqualTo("my-namespace"));
        Assert.That((string?)line["prompt"], Is.EqualTo("What is the weather?"));
        Assert.That((string?)line["response"], Is.EqualTo("echo: What is the weather?"));
    }

    [Test]
    public async Task GenerateAsync_TaskMethod_RecordsWhenTheTaskCompletes()
    {
        var model = _logger.AttachToClient<ITextModel>(new FakeTextModel { Delay = TimeSpan.FromMilliseconds(50) });

        var response = await model.GenerateAsync("Hello");

        Assert.That(response, Is.EqualTo("generated: Hello"));
        var line = _database.ExportText(_logger).Single();
        Assert.That((string?)line["response"], Is.EqualTo("generated: Hello"));
        Assert.That((double)line["inference_seconds"]!, Is.GreaterThanOrEqualTo(0.04));
    }

    [TestCase(0)]
    [TestCase(30)]
    public async Task AskAsync_ValueTaskMethod_RecordsSynchronousAndAsynchronousCompletions(int delayMilliseconds)
    {
        var model = _logger.AttachToClient<ITextModel>(new FakeTextModel { Delay = TimeSpan.FromMilliseconds(delayMilliseconds) });

        var answer = await model.AskAsync("Why?");

        Assert.That(answer, Is.EqualTo("answer: Why?"));
        var line = _database.ExportText(_logger).Single();
        Assert.That((string?)line["prompt"], Is.EqualTo("Why?"));
        Assert.That((string?)line["response"], Is.EqualTo("answer: Why?"));
    }

    [Test]
    public async Task GenerateStreamingAsync_AsyncEnumerableOfStrings_RecordsTheAssembledResponseOnce()
    {
        var model = _logger.AttachToClient<ITextModel>(new FakeTextModel());

        var words = new List<string>();
        await foreach (var word in model.GenerateStreamingAsync("Count"))
        {
            words.Add(word);
        }

        Assert.That(words, Is.EqualTo(new[] { "one ", "two ", "three" }));
        var line = _database.ExportText(_logger).Single();
        Assert.That((string?)line["response"], Is.EqualTo("one two three"));
    }

    [Test]
    public void GenerateStreamingAsync_WhenTheStreamFails_RecordsErrorAndRethrowsTheSameException()
    {
        var failure = new InvalidOperationException("model crashed");
        var model = _logger.AttachToClient<ITextModel>(new FakeTextModel { Failure = failure });

        var caught = Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var word in model.GenerateStreamingAsync("Count"))
            {
                _ = word;
            }
        });

        Assert.That(caught, Is.SameAs(failure));
        var line = _database.ExportText(_logger).Single();
        Assert.That((string?)line["error"], Is.EqualTo("System.InvalidOperationException: model crashed"));
    }

    [Test]
    public void CompleteStreaming_EnumerableOfStrings_RecordsTheAssembledResponse()
    {
        var model = _logger.AttachToClient<ITextModel>(new FakeTextModel());

        Assert.That(model.CompleteStreaming("letters"), Is.EqualTo(new[] { "a", "b" }));

        Assert.That((string?)_database.ExportText(_logger).Single()["response"], Is.EqualTo("ab"));
    }

    [Test]
    public void Complete_WhenTheImplementationThrows_RecordsErrorAndRethrowsTheOriginalException()
    {
        var failure = new TimeoutException("the model timed out");
        var model = _logger.AttachToClient<ITextModel>(new FakeTextModel { Failure = failure });

        var caught = Assert.Throws<TimeoutException>(() => model.Complete("Hi"));

        Assert.That(caught, Is.SameAs(failure));
        Assert.That(caught!.StackTrace, Does.Contain(nameof(FakeTextModel)), "the original stack trace, not a TargetInvocationException");
        var line = _database.ExportText(_logger).Single();
        Assert.That((string?)line["error"], Is.EqualTo("System.TimeoutException: the model timed out"));
        Assert.That(line.ContainsKey("response"), Is.False);
    }

    [Test]
    public void GenerateAsync_WhenCancelled_RecordsErrorAndTheTaskStaysCancelled()
    {
        var model = _logger.AttachToClient<ITextModel>(new FakeTextModel { Delay = TimeSpan.FromSeconds(10) });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var task = model.GenerateAsync("Hi", cancellation.Token);

        Assert.That(async () => await task, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(task.IsCanceled, Is.True);
        Assert.That((string?)_database.ExportText(_logger).Single()["error"], Does.StartWith("System.Threading.Tasks.TaskCanceledException"));
    }

    [Test]
    public void NonChatMembers_PassThroughWithoutBeingRecorded()
    {
        var original = new FakeTextModel();
        var model = _logger.AttachToClient<ITextModel>(original);

        Assert.That(model.Name, Is.EqualTo("fake"));
        Assert.That(model.CountTokens("abcd"), Is.EqualTo(4));
        Assert.That(model.Prompt("key"), Is.EqualTo("cached: key"), "[PromptLog(Ignore = true)] opts a conventional name out");

        Assert.That(original.NonChatCalls, Is.EqualTo(1));
        Assert.That(_database.ExportText(_logger), Is.Empty);
    }

    [Test]
    public void PromptLogAttributeAndChatMethodNames_OptMethodsIn()
    {
        var model = _logger.AttachToClient<ITextModel>(new FakeTextModel());

        model.Summarize("a long text");
        model.Translate("bonjour");

        var lines = _database.ExportText(_logger);
        Assert.That(lines.Select(static l => (string?)l["response"]), Is.EqualTo(new[] { "summary: a long text", "translated: bonjour" }));
    }

    [Test]
    public void ChatMethodNames_AreTheLoggersOwn_SoAnotherLoggerDoesNotRecordThem()
    {
        using var other = new TestDatabase();
        using var plainLogger = other.CreateLogger();
        var model = plainLogger.AttachToClient<ITextModel>(new FakeTextModel());

        model.Translate("bonjour");

        Assert.That(other.ExportText(plainLogger), Is.Empty);
    }

    [Test]
    public async Task ChatAsync_WithMessageLikeObjects_RecordsTheSeedsChatPromptShape()
    {
        var model = _logger.AttachToClient<IChatModel>(new FakeChatModel());

        var reply = await model.ChatAsync(
            [new Turn(Speaker.System, "You are a helpful assistant."), new Turn(Speaker.User, "What is the weather today?")],
            model: "gpt-4.1", maxTokens: 50);

        Assert.That(reply.Content, Is.EqualTo("It's sunny!"));
        var line = _database.ExportChat(_logger).Single();
        Assert.That(JsonAssert.Keys(line), Is.EqualTo(new[]
        {
            "id", "namespace", "model", "messages", "generation_kwargs", "completions", "inference_on", "inference_seconds",
            "conversation_id",
        }));
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1"));
        JsonAssert.AreEqual(
            """[{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "What is the weather today?"}]""",
            line["messages"]);
        JsonAssert.AreEqual("""{"max_tokens": 50}""", line["generation_kwargs"]);
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's sunny!", "finish_reason": "length"}]""", line["completions"]);
    }

    [Test]
    public async Task ChatStreamingAsync_WithMessageLikeUpdates_RecordsTheAssembledCompletion()
    {
        var model = _logger.AttachToClient<IChatModel>(new FakeChatModel());

        await foreach (var reply in model.ChatStreamingAsync([new Turn(Speaker.User, "Weather?")]))
        {
            _ = reply;
        }

        var line = _database.ExportChat(_logger).Single();
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's sunny!", "finish_reason": "stop"}]""", line["completions"]);
        Assert.That((bool?)line["stream"], Is.True);
    }

    [Test]
    public void AttachToClient_OnAnInterfaceDispatchProxyCannotBuild_FallsBackToACastleInterfaceProxy()
    {
        var model = _logger.AttachToClient<IInitOnlyModel>(new InitOnlyModel());

        Assert.That(model, Is.InstanceOf<Castle.DynamicProxy.IProxyTargetAccessor>());
        Assert.That(model.Complete("Hi"), Is.EqualTo("echo: Hi"));
        Assert.That(model.Name, Is.EqualTo("init-only"));
        Assert.That((string?)_database.ExportText(_logger).Single()["prompt"], Is.EqualTo("Hi"));
    }

    [Test]
    public void AttachToClient_OnAClassWithVirtualChatMethods_RecordsThroughAClassProxy()
    {
        var model = _logger.AttachToClient(new FakeTextModel());

        Assert.That(model.Complete("Hi"), Is.EqualTo("echo: Hi"));
        Assert.That(model.CountTokens("abc"), Is.EqualTo(3), "a non-virtual member is the proxy's own, not forwarded");

        Assert.That((string?)_database.ExportText(_logger).Single()["prompt"], Is.EqualTo("Hi"));
    }
}
