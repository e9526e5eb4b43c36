using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Readers;
using PromptLogging.Recording;

namespace PromptLogging.Tests.Interception;

/// <summary>
/// The writer stores an OpenAI call's generation parameters straight from the options' wire JSON
/// (<see cref="OpenAIWireKwargs"/>, <see cref="CallRequest.GenerationKwargsJson"/>) instead of building them as a
/// <see cref="JsonObject"/>: the stored bytes and tools are exactly those of the DOM path.
/// </summary>
public sealed class OpenAIWireKwargsTests
{
    private const string Hostile = "</script><script>alert(1)</script> \"quoted\" \\ back \u2028 \u0001 é 😀 {\"json\":1}";

    private static IEnumerable<TestCaseData> Options()
    {
        yield return new TestCaseData(new ChatCompletionOptions { MaxOutputTokenCount = 50, Temperature = 0.2f }).SetName("Kwargs_TheBenchmarksOptions_AreStoredAsTheDomStoresThem");
        yield return new TestCaseData(new ChatCompletionOptions()).SetName("Kwargs_EmptyOptions_AreStoredAsTheDomStoresThem");

        var everything = new ChatCompletionOptions
        {
            MaxOutputTokenCount = 1234,
            Temperature = 0.7f,
            TopP = 0.9f,
            FrequencyPenalty = -0.5f,
            PresencePenalty = 1.25f,
            EndUserId = Hostile,
            IncludeLogProbabilities = true,
            TopLogProbabilityCount = 3,
            AllowParallelToolCalls = false,
            ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather"),
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                "weather",
                BinaryData.FromString("""{"type":"object","description":"\u003ctag\u003e é \ud83d\ude00","properties":{"city":{"type":"string"}},"required":["city"]}"""),
                Hostile,
                jsonSchemaIsStrict: true),
            StoredOutputEnabled = true,
        };
#pragma warning disable OPENAI001 // Seed and the reasoning effort are experimental in the SDK.
        everything.Seed = 42;
        everything.ReasoningEffortLevel = ChatReasoningEffortLevel.High;
#pragma warning restore OPENAI001
        everything.StopSequences.Add(Hostile);
        everything.StopSequences.Add("\n\nHuman:");
        everything.Metadata[Hostile] = Hostile;
        everything.LogitBiases[50256] = -100;
        everything.Tools.Add(ChatTool.CreateFunctionTool(
            "get_weather",
            Hostile,
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string","description":"é \"q\""}},"required":["city"]}""")));
        everything.Tools.Add(ChatTool.CreateFunctionTool("no_parameters"));
        yield return new TestCaseData(everything).SetName("Kwargs_EveryOptionWithHostileText_IsStoredAsTheDomStoresIt");
    }

    [TestCaseSource(nameof(Options))]
    public void Kwargs_AreStoredByteForByteAsTheDomPathStoresThem(ChatCompletionOptions options)
    {
        var (dom, domTools) = OpenAIChatReader.ReadOptions(options);
        var (json, jsonTools) = OpenAIChatReader.ReadOptionsJson(options);

        var expected = Stored(new CallRequest { Kind = CallKind.Chat, GenerationKwargs = dom, Tools = domTools });
        var actual = Stored(new CallRequest { Kind = CallKind.Chat, GenerationKwargsJson = json, Tools = jsonTools });

        Assert.That(Text(actual.GenerationKwargs), Is.EqualTo(Text(expected.GenerationKwargs)));
        Assert.That(Text(actual.Tools), Is.EqualTo(Text(expected.Tools)));
        Assert.That(json is null, Is.EqualTo(dom is null), "no parameters left gives none, as before");
    }

    [Test]
    public void Kwargs_LeaveOutWhatIsRecordedElsewhere()
    {
        var options = new ChatCompletionOptions { Temperature = 0.5f };
        options.Tools.Add(ChatTool.CreateFunctionTool("f"));

        var (json, tools) = OpenAIChatReader.ReadOptionsJson(options);

        var kwargs = JsonNode.Parse(json!)!.AsObject();
        Assert.That(kwargs.Select(p => p.Key), Is.EquivalentTo(new[] { "temperature" }));
        Assert.That(tools.Select(t => t.Name), Is.EqualTo(new[] { "f" }));
    }

    [Test]
    public void GenerationKwargsJson_EscapedAndSpacedJson_IsStoredAsTheSameJsonObjectIs()
    {
        const string Given = """ { "a\u0041" : "\u003cscript\u003e \u00e9 \ud83d\ude00" , "n":1.50 , "big": 12345678901234567890, "x" : { "y" : [ 1 , "\"" , null , true ] } } """;

        var fromJson = Stored(new CallRequest { Kind = CallKind.Chat, GenerationKwargsJson = Encoding.UTF8.GetBytes(Given) });
        var fromNode = Stored(new CallRequest { Kind = CallKind.Chat, GenerationKwargs = JsonNode.Parse(Given)!.AsObject() });

        Assert.That(Text(fromJson.GenerationKwargs), Is.EqualTo(Text(fromNode.GenerationKwargs)));
        Assert.That(Text(fromJson.GenerationKwargs), Does.StartWith("""{"aA":"""));
    }

    [TestCase("""{"cut":""", TestName = "GenerationKwargsJson_NotJson_IsLeftOutAndTheCallStored")]
    [TestCase("""[1,2]""", TestName = "GenerationKwargsJson_NotAnObject_IsLeftOutAndTheCallStored")]
    [TestCase("""{}""", TestName = "GenerationKwargsJson_AnEmptyObject_IsLeftOut")]
    public void GenerationKwargsJson_Unusable_IsLeftOutAndTheCallStored(string given)
    {
        var record = Stored(new CallRequest
        {
            Kind = CallKind.Chat,
            Messages = [new CapturedMessage("user", "hi")],
            GenerationKwargsJson = Encoding.UTF8.GetBytes(given),
        });

        Assert.That(record.GenerationKwargs, Is.Null);
        Assert.That(Text(record.Messages), Is.EqualTo("""[{"role":"user","content":"hi"}]"""));
    }

    private static PromptLogging.Storage.PromptRecord Stored(CallRequest request)
    {
        using var factory = new PromptRecordFactory("ns", ContentPolicy.Default);
        return factory.Create(new CapturedCall(request) { StartedAt = DateTimeOffset.UnixEpoch });
    }

    private static string? Text(byte[]? utf8) => utf8 is null ? null : Encoding.UTF8.GetString(utf8);
}
