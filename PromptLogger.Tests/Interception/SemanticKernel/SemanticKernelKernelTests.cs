using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Microsoft.SemanticKernel.TextGeneration;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

#pragma warning disable SKEXP0010 // The connector's endpoint overload: how a test points it at the local server.

namespace PromptLogging.Tests.Interception.SemanticKernel;

/// <summary><c>kernelBuilder.UsePromptLogger(logger)</c> over a kernel built with the real <c>AddOpenAIChatCompletion</c>.</summary>
public sealed class SemanticKernelKernelTests : ServerAndLoggerFixture
{
    [Test]
    public async Task InvokePromptAsync_OnAKernelWithUsePromptLogger_IsRecordedOnce()
    {
        var kernel = Kernel.CreateBuilder()
            .AddOpenAIChatCompletion("gpt-4.1", Server.Endpoint, "test-key")
            .UsePromptLogger(Logger)
            .Build();

        var result = await kernel.InvokePromptAsync(
            "Say hi to {{$name}}.",
            new KernelArguments(new OpenAIPromptExecutionSettings { MaxTokens = 20, Temperature = 0.2 }) { ["name"] = "Bob" });

        Assert.That(result.ToString(), Is.EqualTo("It's sunny!"));
        Assert.That(Server.RequestCount, Is.EqualTo(1));
        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual("""[{"role": "user", "content": "Say hi to Bob."}]""", line["messages"]);
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's sunny!", "finish_reason": "stop"}]""", line["completions"]);
        JsonAssert.AreEqual("""{"max_completion_tokens": 20, "temperature": 0.2}""", line["generation_kwargs"]);
        Assert.That((string?)line["model"], Is.EqualTo("gpt-4.1"));
        Assert.That((string?)line["provider"], Is.EqualTo("openai"));
    }

    [Test]
    public async Task InvokePromptAsync_WithAutomaticFunctionCalling_IsRecordedOnce_WithTheToolCallAndItsResult()
    {
        var builder = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4.1", Server.Endpoint, "test-key").UsePromptLogger(Logger);
        builder.Plugins.AddFromType<SemanticKernelChatCompletionTests.Weather>("Weather");
        var kernel = builder.Build();
        Server.ToolCallsOnce = [new ToolCallReply("call_1", "Weather-get_weather", """{"city":"Paris"}""")];
        Server.ReplyContent = "It's sunny in Paris.";

        var result = await kernel.InvokePromptAsync(
            "Weather in Paris?", new KernelArguments(new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }));

        Assert.That(result.ToString(), Is.EqualTo("It's sunny in Paris."));
        Assert.That(Server.RequestCount, Is.EqualTo(2));
        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual(
            """
            [{"role": "user", "content": "Weather in Paris?"},
             {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "Weather-get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
             {"role": "tool", "content": "Sunny in Paris", "tool_call_id": "call_1"}]
            """,
            line["messages"]);
        Assert.That((string?)line["tools"]![0]!["function"]!["name"], Is.EqualTo("Weather-get_weather"));
        Assert.That((string?)line["generation_kwargs"]!["tool_choice"], Is.EqualTo("auto"));
    }

    [Test]
    public async Task InvokePromptStreamingAsync_OnAKernelWithUsePromptLogger_IsRecordedOnceAsAStream()
    {
        Server.ReplyContent = "Hello, Bob!";
        var kernel = Kernel.CreateBuilder()
            .AddOpenAIChatCompletion("gpt-4.1", Server.Endpoint, "test-key")
            .UsePromptLogger(Logger)
            .Build();

        var text = string.Empty;
        await foreach (var update in kernel.InvokePromptStreamingAsync("Say hi to Bob."))
        {
            text += update;
        }

        Assert.That(text, Is.EqualTo("Hello, Bob!"));
        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "Hello, Bob!", "finish_reason": "stop"}]""", line["completions"]);
        Assert.That((bool?)line["stream"], Is.True);
    }

    [Test]
    public async Task UsePromptLogger_WithTheLoggerRegisteredInTheKernelsServices_RecordsIntoIt()
    {
        var builder = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4.1", Server.Endpoint, "test-key");
        builder.Services.AddSingleton(Logger);
        var kernel = builder.UsePromptLogger().Build();

        await kernel.InvokePromptAsync("Hello");

        Assert.That(Database.ExportChat(Logger), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task UsePromptLogger_KeepsTheConnectorsTextGenerationService_AndTwiceStillRecordsOnce()
    {
        var kernel = Kernel.CreateBuilder()
            .AddOpenAIChatCompletion("gpt-4.1", Server.Endpoint, "test-key", serviceId: "main")
            .UsePromptLogger(Logger)
            .UsePromptLogger(Logger)
            .Build();

        var text = kernel.GetRequiredService<ITextGenerationService>("main");
        var chat = kernel.GetRequiredService<IChatCompletionService>("main");
        var history = new ChatHistory();
        history.AddUserMessage("Hi");
        await chat.GetChatMessageContentsAsync(history);

        Assert.That(text, Is.Not.Null, "the connector registers its chat service as a text generation service too");
        Assert.That(Database.ExportChat(Logger), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task InvokePromptAsync_OnAKernelWithAnIChatClient_IsRecordedOnce()
    {
        var kernel = Kernel.CreateBuilder()
            .AddOpenAIChatClient("gpt-4.1", Server.Endpoint, "test-key")
            .UsePromptLogger(Logger)
            .Build();

        var result = await kernel.InvokePromptAsync("Say hi.", new KernelArguments(new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 20 } }));

        Assert.That(result.ToString(), Is.EqualTo("It's sunny!"));
        var line = Database.ExportChat(Logger).Single();
        JsonAssert.AreEqual("""[{"role": "user", "content": "Say hi."}]""", line["messages"]);
        JsonAssert.AreEqual("""[{"role": "assistant", "content": "It's sunny!", "finish_reason": "stop"}]""", line["completions"]);
        JsonAssert.AreEqual("""{"max_completion_tokens": 20}""", line["generation_kwargs"]);
        Assert.That((string?)line["provider"], Is.EqualTo("openai"));
    }

    [Test]
    public void UsePromptLogger_BeforeAnyChatCompletionService_SaysToCallItAfter()
    {
        var builder = Kernel.CreateBuilder();

        var error = Assert.Throws<InvalidOperationException>(() => builder.UsePromptLogger(Logger))!;

        Assert.That(error.Message, Does.Contain("after").And.Contain("AddOpenAIChatCompletion"));
    }

    [Test]
    public void UsePromptLogger_WithoutALogger_SaysWhereToGetOne()
    {
        var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4.1", Server.Endpoint, "test-key").UsePromptLogger().Build();

        var error = Assert.Throws<InvalidOperationException>(() => kernel.GetRequiredService<IChatCompletionService>())!;

        Assert.That(error.Message, Does.Contain("AddPromptLogger"));
    }

    [Test]
    public void InvokePromptAsync_WhenTheServerFails_TheCallerGetsSemanticKernelsExceptionAndTheErrorIsRecorded()
    {
        Server.Mode = ServerMode.Fail500;
        var kernel = Kernel.CreateBuilder()
            .AddOpenAIChatCompletion("gpt-4.1", Server.Endpoint, "test-key")
            .UsePromptLogger(Logger)
            .Build();

        Assert.That(() => kernel.InvokePromptAsync("Hi"), Throws.InstanceOf<HttpOperationException>());

        Assert.That((string?)Database.ExportChat(Logger).Single()["error"], Does.StartWith("Microsoft.SemanticKernel.HttpOperationException"));
    }
}
