using System.Text.Json.Nodes;
using Moq;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Interception;

/// <summary>What <see cref="PromptLogger.AttachToClient{T}"/> refuses, and that recording never reaches the caller.</summary>
public sealed class AttachToClientTests
{
    private TestDatabase _database = null!;
    private PromptLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _database = new TestDatabase();
        _logger = _database.CreateLogger();
    }

    [TearDown]
    public void TearDown()
    {
        _logger.Dispose();
        _database.Dispose();
    }

    [Test]
    public void AttachToClient_WithNull_Throws() =>
        Assert.Throws<ArgumentNullException>(() => _logger.AttachToClient<ITextModel>(null!));

    [Test]
    public void AttachToClient_OnASealedClass_ThrowsAndNamesTheInterfaceToAttachTo()
    {
        var exception = Assert.Throws<ArgumentException>(() => _logger.AttachToClient(new SealedModel()))!;

        Assert.That(exception.Message, Does.Contain("sealed"));
        Assert.That(exception.Message, Does.Contain("AttachToClient<ITextModelLite>"));
    }

    [Test]
    public void AttachToClient_OnAClassWhoseChatMethodsAreNotVirtual_ThrowsAndSaysWhy()
    {
        var exception = Assert.Throws<ArgumentException>(() => _logger.AttachToClient(new NonVirtualModel()))!;

        Assert.That(exception.Message, Does.Contain("not virtual"));
        Assert.That(exception.Message, Does.Contain("Complete"));
    }

    [Test]
    public void AttachToClient_OnATypeWithNoChatMethod_ThrowsAndSaysWhatIsRecognised()
    {
        var exception = Assert.Throws<ArgumentException>(() => _logger.AttachToClient<IDisposable>(new MemoryStream()))!;

        Assert.That(exception.Message, Does.Contain("no method that looks like a chat call"));
        Assert.That(exception.Message, Does.Contain("[PromptLog]"));
    }

    [Test]
    public void AttachToClient_AfterDispose_Throws()
    {
        _logger.Dispose();

        Assert.Throws<ObjectDisposedException>(() => _logger.AttachToClient<ITextModel>(new FakeTextModel()));
    }

    [Test]
    public void AttachToClient_TheSameClientTwice_RecordsEachCallOnce()
    {
        var model = _logger.AttachToClient<ITextModel>(new FakeTextModel());
        var again = _logger.AttachToClient(model);

        again.Complete("Hi");

        Assert.That(again, Is.SameAs(model));
        Assert.That(_database.ExportText(_logger), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Calls_WhenTheSinkThrows_StillReturnTheOriginalResultAndReportTheFailure()
    {
        var sink = new Mock<ICapturedCallSink>();
        sink.Setup(static s => s.Record(It.IsAny<CapturedCall>())).Throws(new InvalidOperationException("sink broke"));
        var failures = new List<Exception>();
        var options = new InterceptionOptions { RecordingFailed = failures.Add };
        var model = ClientProxyFactory.Create<ITextModel>(new FakeTextModel(), sink.Object, options);

        Assert.That(model.Complete("Hi"), Is.EqualTo("echo: Hi"));
        Assert.That(await model.GenerateAsync("Hi"), Is.EqualTo("generated: Hi"));
        Assert.That(await ToListAsync(model.GenerateStreamingAsync("Hi")), Has.Count.EqualTo(3));

        Assert.That(failures, Has.Count.EqualTo(3));
        Assert.That(failures, Has.All.Message.EqualTo("sink broke"));
    }

    [Test]
    public void Calls_WhenAMessageCannotBeRead_RecordWhatCanBeRead()
    {
        var calls = new List<(CallRequest Request, CallOutcome? Outcome)>();
        var sink = new Mock<ICapturedCallSink>();
        sink.Setup(static s => s.Record(It.IsAny<CapturedCall>())).Callback<CapturedCall>(call => calls.Add((call.ReadRequest(), call.ReadOutcome())));
        var failures = new List<Exception>();
        var model = ClientProxyFactory.Create<IChatModel>(new FakeChatModel(), sink.Object, new InterceptionOptions { RecordingFailed = failures.Add });
        static IEnumerable<Turn> Unreadable()
        {
            yield return new Turn(Speaker.User, "fine");
            throw new FormatException("unreadable");
        }

        // The fake never reads its messages, so only PromptLogger trips over them: the call goes on, recorded without them.
        var reply = model.ChatAsync(Unreadable(), "local", 10).GetAwaiter().GetResult();

        Assert.That(reply.Content, Is.EqualTo("It's sunny!"));
        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(calls, Has.Count.EqualTo(1));
        Assert.That(calls[0].Request.Messages, Is.Empty);
        Assert.That(calls[0].Request.Model, Is.EqualTo("local"));
        Assert.That(calls[0].Outcome!.Completions.Single().Content, Is.EqualTo("It's sunny!"));
    }

    [Test]
    public void CapturedCall_ForATextMethod_CarriesTimingAndKind()
    {
        var calls = new List<CapturedCall>();
        var sink = new Mock<ICapturedCallSink>();
        sink.Setup(static s => s.Record(It.IsAny<CapturedCall>())).Callback<CapturedCall>(calls.Add);
        var before = DateTimeOffset.UtcNow;

        ClientProxyFactory.Create<ITextModel>(new FakeTextModel(), sink.Object).Complete("Hi", maxTokens: 5);

        var call = calls.Single();
        var request = call.ReadRequest();
        Assert.That(request.Kind, Is.EqualTo(CallKind.Text));
        Assert.That(call.StartedAt, Is.GreaterThanOrEqualTo(before).And.LessThanOrEqualTo(DateTimeOffset.UtcNow));
        Assert.That(call.Duration, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(JsonNode.DeepEquals(request.GenerationKwargs, JsonNode.Parse("""{"max_tokens": 5}""")), Is.True);
    }

    private static async Task<List<string>> ToListAsync(IAsyncEnumerable<string> source)
    {
        var list = new List<string>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
