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

    private ChatClient NewClient(int maxRetries = 0) => new("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions
    {
        Endpoint = _server.Endpoint,
        RetryPolicy = new ClientRetryPolicy(maxRetries),
    });
}
