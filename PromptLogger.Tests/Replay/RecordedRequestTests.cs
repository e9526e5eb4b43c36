using Microsoft.Extensions.AI;
using PromptLogging.Replay;

namespace PromptLogging.Tests.Replay;

/// <summary>
/// <see cref="RecordedRequest.Read"/> on stored request columns the way other writers leave them (records imported
/// from the Python package: arguments as an object, tools without a type, content as an array of parts): nothing the
/// record holds is dropped on the way to the client.
/// </summary>
public sealed class RecordedRequestTests
{
    [Test]
    public void Read_ArgumentsStoredAsAnObject_AreSentAsTheArguments()
    {
        var request = Read("""
            [{"role":"user","content":"Track P-1"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"track","arguments":{"id":"P-1","express":true}}}]},
             {"role":"tool","tool_call_id":"call_1","content":"in transit"}]
            """);

        var call = request.Messages[1].Contents.OfType<FunctionCallContent>().Single();
        Assert.Multiple(() =>
        {
            Assert.That((call.CallId, call.Name), Is.EqualTo(("call_1", "track")));
            Assert.That(call.Arguments, Is.Not.Null, "an object value is the arguments, not nothing");
            Assert.That(call.Arguments!["id"]?.ToString(), Is.EqualTo("P-1"));
            Assert.That(((System.Text.Json.JsonElement)call.Arguments!["express"]!).GetRawText(), Is.EqualTo("true"));
        });
    }

    [Test]
    public void Read_ToolWithoutType_IsAFunction_AsTheExportsTakeIt()
    {
        var leftOut = new List<string>();
        var request = Read("""[{"role":"user","content":"Track P-1"}]""",
            tools: """[{"function":{"name":"track","description":"Tracks a parcel","parameters":{"type":"object","properties":{"id":{"type":"string"}}}}}]""",
            leftOut: leftOut);

        Assert.Multiple(() =>
        {
            Assert.That(request.Options.Tools?.Select(t => t.Name), Is.EqualTo(new[] { "track" }));
            Assert.That(leftOut, Is.Empty);
        });
    }

    [Test]
    public void Read_ContentAsTextParts_IsSentAsThatText_AndOtherPartsAreNamedAsLeftOut()
    {
        var leftOut = new List<string>();
        var request = Read("""
            [{"role":"system","content":[{"type":"text","text":"Be brief. <script>alert(1)</script>"}]},
             {"role":"user","content":[{"type":"text","text":"What is "},{"type":"text","text":"in this picture?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]
            """, leftOut: leftOut);

        Assert.Multiple(() =>
        {
            Assert.That(request.Messages[0].Text, Is.EqualTo("Be brief. <script>alert(1)</script>"));
            Assert.That(request.Messages[1].Contents.OfType<TextContent>().Select(t => t.Text), Is.EqualTo(new[] { "What is ", "in this picture?" }));
            Assert.That(leftOut, Is.EqualTo(new[] { "content (image_url)" }));
        });
    }

    [Test]
    public void Read_MessagesNestedDeeperThanTheDefaultJsonDepth_AreReadAsStored()
    {
        // 70 levels in one argument value: past JsonDocument's default 64, within what the store accepts.
        var deep = string.Concat(Enumerable.Repeat("""{"a":""", 70)) + "1" + new string('}', 70);
        var request = Read("""[{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"""
            + deep + "}}]}]");

        Assert.That(request.Messages[0].Contents.OfType<FunctionCallContent>().Single().Arguments, Contains.Key("a"));
    }

    private static RecordedRequest Read(string messages, string? tools = null, List<string>? leftOut = null)
    {
        var row = new ReplayRow { Id = "r1", Model = "gpt-4.1", Messages = messages, Tools = tools };
        var request = RecordedRequest.Read(row, "echo-2", name => leftOut?.Add(name));
        Assert.That(request, Is.Not.Null, "the stored messages are readable");
        return request!;
    }
}
