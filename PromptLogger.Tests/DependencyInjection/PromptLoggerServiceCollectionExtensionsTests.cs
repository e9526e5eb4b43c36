using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace PromptLogging.Tests.DependencyInjection;

public sealed class PromptLoggerServiceCollectionExtensionsTests
{
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
    public async Task AddPromptLogger_BindsTheConfigurationSectionAndRecordsAContainerChatClientEndToEnd()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PromptLogger:Namespace"] = "checkout",
            ["PromptLogger:Database"] = _temp.DatabaseUrl(),
            ["PromptLogger:MetadataOnly"] = "false",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddPromptLogger();
        services.AddChatClient(new ChatClient("gpt-4.1", new ApiKeyCredential("test"), new OpenAIClientOptions { Endpoint = _server.Endpoint }).AsIChatClient())
            .UsePromptLogger();

        await using (var provider = services.BuildServiceProvider())
        {
            var logger = provider.GetRequiredService<PromptLogger>();
            Assert.That(logger.Namespace, Is.EqualTo("checkout"));
            Assert.That(provider.GetRequiredService<PromptLogger>(), Is.SameAs(logger), "one logger for the application");

            var reply = await provider.GetRequiredService<IChatClient>().GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")]);
            Assert.That(reply.Text, Is.EqualTo("It's sunny!"));
        }

        // Disposing the container disposed, and so flushed, the logger.
        using var reader = new PromptLogger("checkout", _temp.DatabaseUrl());
        Assert.That(reader.ExportChatPrompts(_temp.File("out.jsonl")), Is.EqualTo(1));
        Assert.That(Jsonl.Read(_temp.File("out.jsonl")).Single().GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo("Hi"));
    }

    [Test]
    public void AddPromptLogger_AppliesConfigureAfterTheConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PromptLogger:Namespace"] = "from-config",
            ["PromptLogger:Database"] = _temp.DatabaseUrl(),
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddPromptLogger(options => options.Namespace = "from-code");

        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<PromptLogger>().Namespace, Is.EqualTo("from-code"));
    }

    [Test]
    public void AddPromptLogger_WithoutConfiguration_UsesTheDefaultsAndConfigure()
    {
        var services = new ServiceCollection();
        services.AddPromptLogger(options => options.Database = _temp.DatabaseUrl("other.db"));

        using var provider = services.BuildServiceProvider();
        var logger = provider.GetRequiredService<PromptLogger>();

        Assert.That(logger.Namespace, Is.EqualTo("default"));
        Assert.That(File.Exists(_temp.File("other.db")), Is.True);
    }
}
