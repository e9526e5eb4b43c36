using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.ChatClients;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace PromptLogging.Tests.ChatClients;

public sealed class PromptLoggingChatClientTests
{
    private static readonly ChatMessage[] Messages =
    [
        new(ChatRole.System, "You are a helpful assistant."),
        new(ChatRole.User, "What is the weather today?"),
    ];

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
    public async Task UsePromptLogger_RecordsExactlyWhatAttachToClientRecords()
    {
        using var logger = new PromptLogger("ns", _temp.DatabaseUrl());
        var viaMiddleware = new ChatClientBuilder(NewClient()).UsePromptLogger(logger).Build();
        var viaProxy = logger.AttachToClient(NewClient());
        var options = new ChatOptions { MaxOutputTokens = 50, Temperature = 0.5f };

        var first = await viaMiddleware.GetResponseAsync(Messages, options);
        var second = await viaProxy.GetResponseAsync(Messages, options);
        await foreach (var _ in viaMiddleware.GetStreamingResponseAsync(Messages, options))
        {
        }

        await foreach (var _ in viaProxy.GetStreamingResponseAsync(Messages, options))
        {
        }

        Assert.That(first.Text, Is.EqualTo(second.Text).And.EqualTo("It's sunny!"));
        logger.ExportChatPrompts(_temp.File("out.jsonl"));
        var lines = Jsonl.Read(_temp.File("out.jsonl")).Select(WithoutIdAndTimes).ToList();
        Assert.That(lines, Has.Count.EqualTo(4));
        Assert.That(lines[0], Is.EqualTo(lines[1]), "plain call: the middleware records what the proxy records");
        Assert.That(lines[2], Is.EqualTo(lines[3]), "streaming call: the middleware records what the proxy records");
        Assert.That(lines[0], Does.Contain("\"max_completion_tokens\":50").And.Contain("sunny!"));
    }

    [Test]
    public async Task UsePromptLogger_WithANamespace_StoresThePipelinesCallsUnderIt()
    {
        using var logger = new PromptLogger("default", _temp.DatabaseUrl());
        var client = new ChatClientBuilder(NewClient()).UsePromptLogger(logger, c => c.Namespace = "checkout").Build();

        await client.GetResponseAsync(Messages);

        Assert.That(logger.ExportChatPrompts(_temp.File("checkout.jsonl"), "checkout"), Is.EqualTo(1));
        Assert.That(logger.ExportChatPrompts(_temp.File("default.jsonl")), Is.Zero);
        Assert.That(logger.ExportModels(_temp.File("models.jsonl"), "checkout"), Is.EqualTo(1), "the model is registered in that namespace");
    }

    [Test]
    public async Task PromptLoggingChatClient_WhenTheInnerClientFails_RecordsTheErrorAndRethrowsTheSameException()
    {
        using var logger = new PromptLogger("ns", _temp.DatabaseUrl());
        var client = new ChatClientBuilder(NewClient()).UsePromptLogger(logger).Build();
        _server.Mode = ServerMode.Fail500;

        var thrown = Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(Messages));

        Assert.That(thrown!.Status, Is.EqualTo(500));
        logger.ExportChatPrompts(_temp.File("out.jsonl"));
        var line = Jsonl.Read(_temp.File("out.jsonl")).Single();
        Assert.That(line.GetProperty("error").GetString(), Does.StartWith("System.ClientModel.ClientResultException"));
        Assert.That(line.TryGetProperty("completions", out _), Is.False);
        await Task.CompletedTask;
    }

    [Test]
    public void UsePromptLogger_WithNoLoggerGivenOrRegistered_SaysWhatToDoWhenBuilt()
    {
        var builder = new ChatClientBuilder(NewClient()).UsePromptLogger();

        Assert.That(() => builder.Build(), Throws.InvalidOperationException.With.Message.Contain("AddPromptLogger"));
    }

    [Test]
    public void PromptLoggingChatClient_PassesGetServiceThroughToTheInnerClient()
    {
        using var logger = new PromptLogger("ns", _temp.DatabaseUrl());
        var client = new ChatClientBuilder(NewClient()).UsePromptLogger(logger).Build();

        Assert.That(client.GetService<ChatClientMetadata>()?.ProviderName, Is.EqualTo("openai"));
        Assert.That(client.GetService<PromptLoggingChatClient>(), Is.Not.Null);
    }

    [Test]
    public async Task UsePromptLogger_OverTheBridgeOfAnAttachedChatClient_RecordsEachCallOnce()
    {
        using var logger = new PromptLogger("ns", _temp.DatabaseUrl());
        var attached = logger.AttachToClient(new ChatClient("gpt-4.1", new ApiKeyCredential("test"), new OpenAIClientOptions { Endpoint = _server.Endpoint }));
        var client = new ChatClientBuilder(attached.AsIChatClient()).UsePromptLogger(logger).Build();

        await client.GetResponseAsync(Messages);
        await foreach (var _ in client.GetStreamingResponseAsync(Messages))
        {
        }

        Assert.That(logger.ExportChatPrompts(_temp.File("out.jsonl")), Is.EqualTo(2), "one record per call: the attached ChatClient records them");
        Assert.That(_server.RequestCount, Is.EqualTo(2));
    }

    [Test]
    public async Task StackedRecorders_OfOneLogger_RecordEachCallOnce_WhileAnotherLoggersRecordItToo()
    {
        using var logger = new PromptLogger("ns", _temp.DatabaseUrl());
        using var other = new PromptLogger("ns", "sqlite:///" + _temp.File("other.db"));
        var attached = logger.AttachToClient(NewClient());
        var client = new ChatClientBuilder(attached).UsePromptLogger(logger).UsePromptLogger(other).UsePromptLogger(logger).Build();

        await client.GetResponseAsync(Messages);

        Assert.That(logger.AttachToClient(attached), Is.SameAs(attached), "attaching twice does not record twice");
        Assert.That(logger.ExportChatPrompts(_temp.File("out.jsonl")), Is.EqualTo(1));
        Assert.That(other.ExportChatPrompts(_temp.File("other.jsonl")), Is.EqualTo(1));
    }

    [Test]
    public async Task AttachToClient_OfAnIChatClient_ReturnsTheMiddleware_WhichStandsInForTheClient()
    {
        using var logger = new PromptLogger("ns", _temp.DatabaseUrl());
        var original = NewClient();

        var attached = logger.AttachToClient(original);
        var response = await attached.GetResponseAsync(Messages);

        Assert.That(attached, Is.TypeOf<PromptLoggingChatClient>());
        Assert.That(response.Text, Is.EqualTo("It's sunny!"));
        Assert.That(attached.GetService<ChatClientMetadata>(), Is.SameAs(original.GetService<ChatClientMetadata>()));
        Assert.That(attached.GetService<ChatClient>(), Is.SameAs(original.GetService<ChatClient>()));
        Assert.That(attached.GetService<IChatClient>(), Is.SameAs(attached), "asking for the client itself gives the recording one, not the original");
        Assert.That(logger.ExportChatPrompts(_temp.File("out.jsonl")), Is.EqualTo(1));
    }

    [Test]
    public async Task UsePromptLogger_WithANamespaceAndTags_OverAClientTheLoggerRecordsAlready_RecordsOnceAndSaysTheyAreUnused()
    {
        var diagnostics = new ListLogger();
        using var logger = new PromptLogger(new PromptLoggerOptions { Namespace = "default", Database = _temp.DatabaseUrl(), Logger = diagnostics });
        var attached = logger.AttachToClient(NewClient());
        var client = new ChatClientBuilder(attached).UsePromptLogger(logger, c =>
        {
            c.Namespace = "checkout";
            c.Tags.Add("pipeline");
        }).Build();

        await client.GetResponseAsync(Messages);
        await client.GetResponseAsync(Messages);

        Assert.That(logger.ExportChatPrompts(_temp.File("default.jsonl")), Is.EqualTo(2), "each call once, by the recorder further in");
        Assert.That(diagnostics.Lines.Count(l => l.Contains("sits over a client this logger records already", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public void AThrowingLazyMessageSequence_RunsOnce_AndTheCallersExceptionReachesItUnchanged()
    {
        var failures = new ListLogger();
        using var logger = new PromptLogger(new PromptLoggerOptions { Namespace = "ns", Database = _temp.DatabaseUrl(), Logger = failures });
        var runs = 0;
        var thrown = new InvalidDataException("the caller's own");
        IEnumerable<ChatMessage> Messages()
        {
            runs++;
            yield return new ChatMessage(ChatRole.User, "Hi");
            throw thrown;
        }

        Assert.That(Assert.ThrowsAsync<InvalidDataException>(() => NewClient().GetResponseAsync(Messages())), Is.SameAs(thrown));
        var runsWithout = runs;
        runs = 0;
        Assert.That(Assert.ThrowsAsync<InvalidDataException>(() => logger.AttachToClient(NewClient()).GetResponseAsync(Messages())), Is.SameAs(thrown));

        Assert.That(runs, Is.EqualTo(1).And.LessThanOrEqualTo(runsWithout), "the caller's sequence runs once: what was read is passed on, then its own exception");
        Assert.That(failures.Lines, Has.None.Contain("the caller's own"), "the caller's exception is no failure of PromptLogger");
    }

    private IChatClient NewClient() =>
        new ChatClient("gpt-4.1", new ApiKeyCredential("test"), new OpenAIClientOptions { Endpoint = _server.Endpoint }).AsIChatClient();

    private static string WithoutIdAndTimes(JsonElement line)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(line.GetRawText())!.AsObject();
        foreach (var name in new[] { "id", "inference_on", "inference_seconds", "time_to_first_token_seconds", "conversation_id" })
        {
            node.Remove(name);
        }

        return node.ToJsonString();
    }
}
