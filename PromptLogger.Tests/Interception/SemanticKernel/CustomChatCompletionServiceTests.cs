using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using PromptLogging.Tests.Support;
using ChatMessageContent = Microsoft.SemanticKernel.ChatMessageContent;
using FunctionCallContent = Microsoft.SemanticKernel.FunctionCallContent;
using FunctionResultContent = Microsoft.SemanticKernel.FunctionResultContent;

#pragma warning disable SKEXP0001 // StreamingFunctionCallUpdateContent.RequestIndex.

namespace PromptLogging.Tests.Interception.SemanticKernel;

/// <summary>
/// A connector that is not OpenAI's (a user's own <see cref="IChatCompletionService"/>): its replies carry no OpenAI SDK
/// objects, so they are read through Semantic Kernel's own types and metadata.
/// </summary>
public sealed class CustomChatCompletionServiceTests
{
    private TestDatabase _database = null!;
    private PromptLogger _logger = null!;

    [SetUp]
    public void CreateLogger()
    {
        _database = new TestDatabase();
        _logger = _database.CreateLogger("custom-sk");
    }

    [TearDown]
    public void DisposeLogger()
    {
        _logger.Dispose();
        _database.Dispose();
    }

    [Test]
    public async Task GetChatMessageContentsAsync_ReadsTheReplyFromSemanticKernelsTypes()
    {
        var service = _logger.AttachToClient<IChatCompletionService>(new EchoService());
        var history = new ChatHistory("Be brief.");
        history.AddUserMessage("Weather?");

        await service.GetChatMessageContentsAsync(history, new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["temperature"] = 0.1 } });

        var line = _database.ExportChat(_logger).Single();
        Assert.That((string?)line["model"], Is.EqualTo("echo-1"));
        Assert.That(line.ContainsKey("provider"), Is.False, "not a Semantic Kernel connector namespace");
        JsonAssert.AreEqual("""[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Weather?"}]""", line["messages"]);
        JsonAssert.AreEqual(
            """[{"role": "assistant", "content": "Checking.", "finish_reason": "tool_calls", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "Weather-get", "arguments": "{\"city\":\"Paris\"}"}}]}]""",
            line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 5, "output_tokens": 3}""", line["usage"]);
        Assert.That((string?)line["response_id"], Is.EqualTo("reply-1"));
        JsonAssert.AreEqual("""{"temperature": 0.1}""", line["generation_kwargs"]);
    }

    [Test]
    public async Task GetStreamingChatMessageContentsAsync_AssemblesTextAndFunctionCallUpdates()
    {
        var service = _logger.AttachToClient<IChatCompletionService>(new EchoService());

        var text = string.Empty;
        await foreach (var update in service.GetStreamingChatMessageContentsAsync(new ChatHistory("Hi")))
        {
            text += update.Content;
        }

        Assert.That(text, Is.EqualTo("Hello there"));
        var line = _database.ExportChat(_logger).Single();
        JsonAssert.AreEqual(
            """[{"role": "assistant", "content": "Hello there", "finish_reason": "stop", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get", "arguments": "{\"city\":\"Paris\"}"}}]}]""",
            line["completions"]);
        JsonAssert.AreEqual("""{"input_tokens": 5, "output_tokens": 3}""", line["usage"]);
        Assert.That((double?)line["time_to_first_token_seconds"], Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public async Task HistoryWithToolResults_RecordsOneToolMessagePerResultAndTheArgumentsAsJson()
    {
        var service = _logger.AttachToClient<IChatCompletionService>(new EchoService());
        var history = new ChatHistory();
        history.AddUserMessage("Weather in Paris and Rome?");
        var assistant = new ChatMessageContent(AuthorRole.Assistant, content: null);
        assistant.Items.Add(new FunctionCallContent("get", "Weather", "c1", new KernelArguments { ["city"] = "Paris" }));
        assistant.Items.Add(new FunctionCallContent("get", "Weather", "c2", new KernelArguments { ["city"] = "Rome", ["days"] = 2 }));
        history.Add(assistant);
        var results = new ChatMessageContent(AuthorRole.Tool, content: null);
        results.Items.Add(new FunctionResultContent("get", "Weather", "c1", "Sunny"));
        results.Items.Add(new FunctionResultContent("get", "Weather", "c2", new { Sky = "Rain", Celsius = 12 }));
        history.Add(results);

        await service.GetChatMessageContentsAsync(history);

        JsonAssert.AreEqual(
            """
            [{"role": "user", "content": "Weather in Paris and Rome?"},
             {"role": "assistant", "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "Weather-get", "arguments": "{\"city\":\"Paris\"}"}},
                {"id": "c2", "type": "function", "function": {"name": "Weather-get", "arguments": "{\"city\":\"Rome\",\"days\":2}"}}]},
             {"role": "tool", "content": "Sunny", "tool_call_id": "c1"},
             {"role": "tool", "content": "{\"Sky\":\"Rain\",\"Celsius\":12}", "tool_call_id": "c2"}]
            """,
            _database.ExportChat(_logger).Single()["messages"]);
    }

    [Test]
    public async Task AServiceWhoseAttributesThrow_AndAToolResultThatCannotBeSerialized_AreStillCalledAndRecorded()
    {
        var service = _logger.AttachToClient<IChatCompletionService>(new EchoService(attributesThrow: true));
        var history = new ChatHistory();
        history.AddUserMessage("Hi");
        var results = new ChatMessageContent(AuthorRole.Tool, content: null);
        results.Items.Add(new FunctionResultContent("get", "Weather", "c1", new ThrowingProperty()));
        history.Add(results);

        var reply = await service.GetChatMessageContentsAsync(history);

        Assert.That(reply.Single().Content, Is.EqualTo("Checking."));
        var line = _database.ExportChat(_logger).Single();
        Assert.That(line.ContainsKey("model"), Is.False);
        JsonAssert.AreEqual(
            $$"""[{"role": "user", "content": "Hi"}, {"role": "tool", "content": "{{typeof(ThrowingProperty).FullName}}", "tool_call_id": "c1"}]""",
            line["messages"]);
    }

    /// <summary>A connector of its own: answers with text and a function call, and reports usage in its metadata.</summary>
    private sealed class EchoService(bool attributesThrow = false) : IChatCompletionService
    {
        public IReadOnlyDictionary<string, object?> Attributes =>
            attributesThrow ? throw new InvalidOperationException("no attributes") : new Dictionary<string, object?> { ["ModelId"] = "echo-1" };

        public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
            ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
        {
            var reply = new ChatMessageContent(
                AuthorRole.Assistant,
                "Checking.",
                modelId: "echo-1",
                metadata: new Dictionary<string, object?> { ["Id"] = "reply-1", ["FinishReason"] = "ToolCalls", ["Usage"] = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 3 } });
            reply.Items.Add(new FunctionCallContent("get", "Weather", "c1", new KernelArguments { ["city"] = "Paris" }));
            return Task.FromResult<IReadOnlyList<ChatMessageContent>>([reply]);
        }

        public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
            ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new StreamingChatMessageContent(AuthorRole.Assistant, "Hello");
            yield return new StreamingChatMessageContent(null, " there");
            var call = new StreamingChatMessageContent(null, null);
            call.Items.Add(new StreamingFunctionCallUpdateContent("c1", "get", "{\"city\":", 0));
            yield return call;
            var rest = new StreamingChatMessageContent(null, null);
            rest.Items.Add(new StreamingFunctionCallUpdateContent(null, null, "\"Paris\"}", 0));
            yield return rest;
            yield return new StreamingChatMessageContent(null, null, metadata: new Dictionary<string, object?>
            {
                ["FinishReason"] = "Stop",
                ["Usage"] = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 3 },
            });
        }
    }
}
