using System.ClientModel;
using System.ClientModel.Primitives;
using System.Reflection;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Interception;

/// <summary>Azure.AI.OpenAI's <see cref="AzureOpenAIClient"/> (on OpenAI 2.15), attached as a root client, against a local server.</summary>
public sealed class AzureOpenAIClientTests : ServerAndLoggerFixture
{
    [Test]
    public void AttachedAzureOpenAIClient_EveryPublicProperty_ReturnsTheOriginalsValue()
    {
        var original = NewClient();

        var attached = Logger.AttachToClient(original);

        Assert.That(attached, Is.Not.SameAs(original));
        var properties = typeof(AzureOpenAIClient).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        Assert.That(properties.Select(static p => p.Name), Is.SupersetOf(new[] { "Endpoint", "Pipeline" }));
        Assert.Multiple(() =>
        {
            foreach (var property in properties)
            {
                Assert.That(property.GetValue(attached), Is.EqualTo(property.GetValue(original)), property.Name);
            }
        });
    }

    [Test]
    public async Task AttachedAzureOpenAIClient_GetChatClient_RecordsEveryPathOnceUnderTheLoggersNamespace()
    {
        Server.ReplyContent = "Hello from Azure.";
        var attached = Logger.AttachToClient(NewClient());
        var chat = attached.GetChatClient("my-deployment");

        var direct = chat.CompleteChat(new UserChatMessage("one")).Value.Content[0].Text;
        var streamed = string.Concat(chat.CompleteChatStreaming(new UserChatMessage("two")).SelectMany(static u => u.ContentUpdate).Select(static p => p.Text));
        var bridged = (await chat.AsIChatClient().GetResponseAsync("three")).Text;

        Assert.That(new[] { direct, streamed, bridged }, Is.All.EqualTo("Hello from Azure."));
        Assert.That(chat.Model, Is.EqualTo("my-deployment"));
        Assert.That(Server.RequestCount, Is.EqualTo(3));
        var lines = Database.ExportChat(Logger);
        Assert.That(lines.Select(static l => (string?)l["messages"]![0]!["content"]), Is.EqualTo(new[] { "one", "two", "three" }));
        Assert.That(lines.Select(static l => (string?)l["model"]), Is.All.EqualTo("my-deployment"));
        Assert.That(lines.Select(static l => (string?)l["namespace"]), Is.All.EqualTo("my-namespace"));
        Assert.That(lines.Select(static l => (string?)l["completions"]![0]!["content"]), Is.All.EqualTo("Hello from Azure."));
    }

    private AzureOpenAIClient NewClient() => new(
        new Uri($"http://127.0.0.1:{Server.Port}"),
        new ApiKeyCredential("test-key"),
        new AzureOpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(0) });
}
