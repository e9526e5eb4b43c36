using System.Text.Json;
using System.Text.Json.Nodes;
using PromptLogging.Interception.Readers.Anthropic;

namespace PromptLogging.Tests.Interception.Anthropic;

/// <summary>Request bodies the typed tests do not reach: every shape the Messages API allows, and some it does not.</summary>
public sealed class AnthropicRequestBodyTests
{
    [Test]
    public void AMidConversationSystemMessageAndAnImageOnlyMessage_KeepTheirPlaces()
    {
        var request = Read("""
            {"model": "m", "max_tokens": 5, "messages": [
              {"role": "user", "content": [{"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}]},
              {"role": "system", "content": "Now answer in French."},
              {"role": "assistant", "content": [{"type": "thinking", "thinking": "hmm", "signature": "s"}, {"type": "text", "text": "Oui."}]}]}
            """);

        Assert.That(request.Messages.Select(static m => (m.Role, m.Content)), Is.EqualTo(new[]
        {
            ("user", (string?)null), ("system", "Now answer in French."), ("assistant", "Oui."),
        }));
    }

    [Test]
    public void ToolResultsWithBlockContent_AreToolMessagesInOrder()
    {
        var request = Read("""
            {"model": "m", "messages": [{"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": "a"}, {"type": "image", "source": {}}, {"type": "text", "text": "b"}]},
              {"type": "tool_result", "tool_use_id": "t2", "content": "c", "is_error": true}]}]}
            """);

        Assert.That(request.Messages.Select(static m => (m.Role, m.Content, m.ToolCallId)), Is.EqualTo(new[]
        {
            ("tool", (string?)"ab", (string?)"t1"), ("tool", "c", "t2"),
        }));
    }

    [Test]
    public void UnexpectedShapes_AreReadAsFarAsTheyGo()
    {
        var request = Read("""
            {"model": 7, "system": {"odd": true}, "messages": [null, 3, {"content": null}, {"role": "user", "content": [null, {"type": "text"}, {"type": "tool_use"}]}],
             "tools": [{"input_schema": {}}, "x", {"name": "web_search", "type": "web_search_20250305", "max_uses": 5}]}
            """);

        Assert.That(request.Model, Is.Null);
        Assert.That(request.Messages.Select(static m => m.Role), Is.EqualTo(new[] { "user", "user", "user", "user" }));
        Assert.That(request.Messages[3].ToolCalls!.Single().Name, Is.Empty);
        Assert.That(request.Tools.Select(static t => (t.Name, t.Type)), Is.EqualTo(new[] { ("web_search", "web_search_20250305") }));
        Assert.That(request.GenerationKwargs, Is.Null, "tools, system, messages and model are not generation parameters");
    }

    [Test]
    public void HostileText_IsKeptAsItIs()
    {
        const string hostile = "</script><img src=x onerror=alert(1)>\u001b]0;title\u0007\u0000\ud83d\ude00";
        var body = new JsonObject
        {
            ["model"] = "m",
            ["system"] = hostile,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = hostile }),
            ["metadata"] = new JsonObject { ["user_id"] = hostile },
        };

        var request = Read(body.ToJsonString());

        Assert.That(request.Messages.Select(static m => m.Content), Is.All.EqualTo(hostile));
        Assert.That((string?)request.GenerationKwargs!["metadata"]!["user_id"], Is.EqualTo(hostile));
    }

    private static PromptLogging.Interception.Calls.CallRequest Read(string json) =>
        AnthropicRequestBody.Read(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!);
}
