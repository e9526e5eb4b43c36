using System.ClientModel.Primitives;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Readers;

namespace PromptLogging.Tests.Interception;

/// <summary>
/// The writer reads buffered Chat Completions replies straight from their JSON: each body gives exactly what the
/// SDK's own model gives, and a shape it does not expect is left to that model.
/// </summary>
public sealed class OpenAIChatCompletionJsonTests
{
    private static readonly string[] Bodies =
    [
        """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4.1-2025-04-14","system_fingerprint":"fp_1","choices":[{"index":0,"message":{"role":"assistant","content":"It's sunny! \"quoted\" \u2028 <script>"},"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":5,"total_tokens":29}}""",
        """{"id":"chatcmpl-2","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}""",
        """{"id":"chatcmpl-3","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4,"prompt_tokens_details":{"cached_tokens":1},"completion_tokens_details":{"reasoning_tokens":2}}}""",
        """{"unknown":{"nested":[1,2,{"a":null}]},"choices":[{"index":0,"logprobs":null,"message":{"annotations":[],"role":"assistant","content":"second wins? no: first","audio":null},"finish_reason":"length"},{"index":1,"message":{"role":"assistant","content":"other"},"finish_reason":"stop"}],"id":"x","model":"y"}""",
    ];

    [TestCaseSource(nameof(Bodies))]
    public void TryRead_GivesWhatTheSdksModelGives(string body)
    {
        var lean = new CallOutcome();
        var viaModel = new CallOutcome();

        Assert.That(OpenAIChatCompletionJson.TryRead(Encoding.UTF8.GetBytes(body), lean), Is.True);
        OpenAIChatReader.ReadCompletion(ModelReaderWriter.Read<ChatCompletion>(BinaryData.FromString(body), ModelReaderWriterOptions.Json, OpenAIContext.Default)!, viaModel);

        Assert.That(lean.ResponseId, Is.EqualTo(viaModel.ResponseId));
        Assert.That(lean.ResponseModel, Is.EqualTo(viaModel.ResponseModel));
        Assert.That(lean.SystemFingerprint, Is.EqualTo(viaModel.SystemFingerprint));
        Assert.That(lean.Usage, Is.EqualTo(viaModel.Usage));
        Assert.That(lean.Completions, Has.Count.EqualTo(1));
        var (a, b) = (lean.Completions[0], viaModel.Completions[0]);
        Assert.That((a.Role, a.Content, a.FinishReason), Is.EqualTo((b.Role, b.Content, b.FinishReason)));
        Assert.That(a.ToolCalls ?? [], Is.EqualTo(b.ToolCalls ?? []));
    }

    [TestCase("""{"id":"x","choices":[{"message":{"role":"assistant","content":[{"type":"text","text":"parts"}]},"finish_reason":"stop"}]}""", TestName = "TryRead_ContentAsParts_IsLeftToTheSdk")]
    [TestCase("""{"id":"x","choices":[{"message":{"role":"assistant","content":"cut""", TestName = "TryRead_ACutBody_IsLeftToTheSdk")]
    [TestCase("""{"id":"x","choices":[]}""", TestName = "TryRead_NoChoice_IsLeftToTheSdk")]
    [TestCase("""{"id":42,"choices":[{"message":{"role":"assistant","content":"a"}}]}""", TestName = "TryRead_AnIdThatIsNotAString_IsLeftToTheSdk")]
    [TestCase("""[1,2]""", TestName = "TryRead_NotAnObject_IsLeftToTheSdk")]
    [TestCase("""{"id":"x","choices":[{"message":{"role":"Assistant","content":"a"},"finish_reason":"stop"}]}""", TestName = "TryRead_ARoleSpelledOtherwise_IsLeftToTheSdk")]
    [TestCase("""{"id":"x","choices":[{"message":{"role":"assistant","content":"a"},"finish_reason":"STOP"}]}""", TestName = "TryRead_AFinishReasonSpelledOtherwise_IsLeftToTheSdk")]
    public void TryRead_AnUnexpectedShape_GivesUpAndTouchesNothing(string body)
    {
        var outcome = new CallOutcome();

        Assert.That(OpenAIChatCompletionJson.TryRead(Encoding.UTF8.GetBytes(body), outcome), Is.False);
        Assert.That(outcome.Completions, Is.Empty);
        Assert.That(outcome.ResponseId, Is.Null);
    }

    [Test]
    public void ReadReply_ARoleAndFinishReasonSpelledOtherwise_AreRecordedAsTheSdkReadsThem()
    {
        var outcome = new CallOutcome();

        OpenAIProtocolChatReader.ReadReply(
            Encoding.UTF8.GetBytes("""{"id":"x","model":"m","choices":[{"index":0,"message":{"role":"Assistant","content":"a"},"finish_reason":"Stop"}]}"""), outcome, out var whole);

        Assert.That(whole, Is.True);
        Assert.That((outcome.Completions[0].Role, outcome.Completions[0].Content, outcome.Completions[0].FinishReason), Is.EqualTo(("assistant", "a", "stop")));
    }
}
