using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Recording;

/// <summary>
/// A provider's 401 that echoes the caller's API key, through the OpenAI SDK's real <see cref="ChatClient"/> against
/// the tests' OpenAI-compatible server: the stored error must not hold the key, whatever its shape.
/// </summary>
public sealed class ProviderErrorRedactionTests
{
    // Not the sk- shape: only the context ("API key provided: …", "api-key=…") can find it.
    private const string Key = "acme-7f3c9e1b5d2a4c68";

    private OpenAICompatibleServer _server = null!;
    private TestDatabase _database = null!;

    [SetUp]
    public void SetUp()
    {
        _server = OpenAICompatibleServer.Start();
        _server.Mode = ServerMode.Unauthorized;
        _database = new TestDatabase();
    }

    [TearDown]
    public void TearDown()
    {
        _database.Dispose();
        _server.Dispose();
    }

    [TestCase(true)]
    [TestCase(false)]
    public void CompleteChat_WhenTheServerEchoesTheKeyIn401_StoresTheErrorWithoutTheKey(bool redactSecrets)
    {
        using var logger = _database.CreateLogger("ns", options => options.RedactSecrets = redactSecrets);
        var client = logger.AttachToClient(new ChatClient("gpt-4.1", new ApiKeyCredential(Key), Options(_server.Endpoint)));

        var thrown = Assert.Throws<ClientResultException>(() => client.CompleteChat(new UserChatMessage("Hi")))!;

        Assert.That(thrown.Status, Is.EqualTo(401));
        Assert.That(thrown.Message, Does.Contain(Key), "the server echoed the key: the test shows something");
        var error = (string?)_database.ExportChat(logger).Single()["error"];
        Assert.That(error, Does.Contain("401").And.Contain("Incorrect API key provided: [REDACTED]"));
        Assert.That(error, Does.Not.Contain(Key).And.Not.Contain("7f3c9e1b"));
        AssertNotInFile(Key);
    }

    [Test]
    public void CompleteChatStreamingAsync_WithTheKeyInTheEndpointQuery_StoresTheErrorWithoutTheKey()
    {
        // Azure style: the key in the endpoint's query; the server's error echoes the key and the URL it was sent to.
        using var logger = _database.CreateLogger("ns");
        var endpoint = new Uri($"{_server.BaseUrl}?api-version=2024-10-21&api-key={Key}");
        var client = logger.AttachToClient(new ChatClient("gpt-4.1", new ApiKeyCredential("unused"), Options(endpoint)));

        var thrown = Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            await foreach (var update in client.CompleteChatStreamingAsync(new UserChatMessage("Hi")))
            {
                Assert.Fail($"no update expected, got {update}");
            }
        })!;

        Assert.That(thrown.Message, Does.Contain("api-key=" + Key), "the error carries the URL with the key");
        var error = (string?)_database.ExportChat(logger).Single()["error"];
        Assert.That(error, Does.Contain("api-key=[REDACTED]").And.Contain("api-version=2024-10-21"));
        Assert.That(error, Does.Not.Contain(Key));
        AssertNotInFile(Key);
    }

    private static OpenAIClientOptions Options(Uri endpoint) => new()
    {
        Endpoint = endpoint,
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    };

    private void AssertNotInFile(string secret)
    {
        foreach (var file in Directory.GetFiles(_database.Folder, "prompts.db*"))
        {
            Assert.That(Encoding.UTF8.GetString(File.ReadAllBytes(file)), Does.Not.Contain(secret), file);
        }
    }
}
