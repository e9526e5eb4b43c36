using System.ClientModel;
using System.ClientModel.Primitives;
using System.Reflection;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace PromptLogging.Tests.Interception;

/// <summary>
/// The attached OpenAI <see cref="ChatClient"/> is a faithful twin of the original: the same values on every member
/// that is not a chat call, and Microsoft.Extensions.AI's <c>AsIChatClient()</c> bridge over it works.
/// </summary>
public sealed class OpenAITwinTests
{
    private OpenAICompatibleServer _server = null!;
    private TestDatabase _database = null!;
    private PromptLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _server = OpenAICompatibleServer.Start();
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
    public void AttachedChatClient_EveryPublicProperty_ReturnsTheOriginalsValue()
    {
        var original = NewClient();

        var attached = _logger.AttachToClient(original);

        var properties = typeof(ChatClient).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        Assert.That(properties.Select(static p => p.Name), Is.SupersetOf(new[] { "Model", "Endpoint", "Pipeline" }));
        Assert.Multiple(() =>
        {
            foreach (var property in properties)
            {
                var expected = property.GetValue(original);
                Assert.That(expected, Is.Not.Null, $"{property.Name} of the original");
                Assert.That(property.GetValue(attached), Is.EqualTo(expected), property.Name);
            }
        });
        Assert.That(attached.Pipeline, Is.SameAs(original.Pipeline), "the same pipeline: the same retries, policies and transport");
    }

    [Test]
    public async Task AsIChatClient_OverTheAttachedClient_AnswersLikeTheOriginal()
    {
        var attached = _logger.AttachToClient(NewClient()).AsIChatClient();

        var response = await attached.GetResponseAsync([new AIChatMessage(ChatRole.User, "Hi")]);

        Assert.That(response.Text, Is.EqualTo("It's sunny!"));
        Assert.That(_server.RequestCount, Is.EqualTo(1));
        var metadata = attached.GetService<ChatClientMetadata>()!;
        Assert.That(metadata.DefaultModelId, Is.EqualTo("gpt-4.1"));
        Assert.That(metadata.ProviderUri, Is.EqualTo(_server.Endpoint));
    }

    [Test]
    public async Task AttachedOpenAIClient_GetChatClient_HandsOutAttachedChatClientsRecordedUnderTheLoggersNamespace()
    {
        var original = new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = _server.Endpoint,
            RetryPolicy = new ClientRetryPolicy(0),
        });

        OpenAIClient attached = _logger.AttachToClient(original);
        var chat = attached.GetChatClient("gpt-4.1-mini");
        chat.CompleteChat(new UserChatMessage("one"));
        await chat.CompleteChatAsync(new UserChatMessage("two"));
        foreach (var update in attached.GetChatClient("gpt-4.1").CompleteChatStreaming(new UserChatMessage("three")))
        {
            Assert.That(update, Is.Not.Null);
        }

        Assert.That(attached, Is.Not.SameAs(original));
        Assert.That(attached.Endpoint, Is.EqualTo(original.Endpoint));
        Assert.That(attached.Pipeline, Is.SameAs(original.Pipeline));
        Assert.That(chat.Model, Is.EqualTo("gpt-4.1-mini"));
        Assert.That(chat.Endpoint, Is.EqualTo(_server.Endpoint));
        var lines = _database.ExportChat(_logger);
        Assert.That(lines.Select(static l => (string?)l["messages"]![0]!["content"]), Is.EqualTo(new[] { "one", "two", "three" }));
        Assert.That(lines.Select(static l => (string?)l["model"]), Is.EqualTo(new[] { "gpt-4.1-mini", "gpt-4.1-mini", "gpt-4.1" }));
        Assert.That(lines.Select(static l => (string?)l["namespace"]), Is.All.EqualTo("my-namespace"));
        Assert.That(_server.RequestCount, Is.EqualTo(3));
    }

    [Test]
    public void AttachedOpenAIClient_UnderAnotherNamespace_RecordsItsChatClientsThere()
    {
        var original = new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = _server.Endpoint });

        var attached = _logger.AttachToClient(original, "other-namespace");
        attached.GetChatClient("gpt-4.1").CompleteChat(new UserChatMessage("Hi"));

        _logger.Flush();
        using var reader = _database.CreateLogger("other-namespace");
        Assert.That((string?)_database.ExportChat(reader).Single()["namespace"], Is.EqualTo("other-namespace"));
        Assert.That(_database.ExportChat(_logger), Is.Empty);
    }

    [Test]
    public void AttachedOpenAIClient_ClientsItDoesNotRecord_AreHandedOutUntouched()
    {
        var attached = _logger.AttachToClient(new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = _server.Endpoint }));

        var embeddings = attached.GetEmbeddingClient("text-embedding-3-small");

        Assert.That(embeddings.GetType(), Is.EqualTo(typeof(OpenAI.Embeddings.EmbeddingClient)));
    }

    [Test]
    public void AttachToClient_OnATypeWithNoChatMethod_NamesTheClientsToAttachTo()
    {
        var exception = Assert.Throws<ArgumentException>(() => _logger.AttachToClient(new OpenAI.Embeddings.EmbeddingClient("m", "test-key")))!;

        Assert.That(exception.Message, Does.Contain("no method that looks like a chat call"));
        Assert.That(exception.Message, Does.Contain("ChatClient").And.Contain("OpenAIClient").And.Contain("IChatClient"));
    }

    private ChatClient NewClient(int maxRetries = 0) => new("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions
    {
        Endpoint = _server.Endpoint,
        RetryPolicy = new ClientRetryPolicy(maxRetries),
    });
}
