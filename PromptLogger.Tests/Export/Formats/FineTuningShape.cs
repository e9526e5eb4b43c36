using System.Text.Json;

namespace PromptLogging.Tests.Export.Formats;

/// <summary>
/// The shape OpenAI documents for a chat fine-tuning example (one JSONL line): <c>messages</c> (system, developer,
/// user, assistant and tool messages) whose last is the assistant's, an assistant's <c>tool_calls</c> each with an
/// <c>id</c>, <c>type</c> <c>function</c> and a <c>function</c> of <c>name</c> and <c>arguments</c> as a string
/// holding JSON; <c>tools</c> of <c>{"type":"function","function":{"name",…,"parameters"}}</c>;
/// <c>parallel_tool_calls</c> a boolean; nothing else.
/// </summary>
internal static class FineTuningShape
{
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool"];

    public static void AssertValid(JsonElement example)
    {
        Assert.That(example.ValueKind, Is.EqualTo(JsonValueKind.Object));
        Assert.That(example.EnumerateObject().Select(p => p.Name), Is.SubsetOf(new[] { "messages", "tools", "parallel_tool_calls" }));
        var messages = example.GetProperty("messages");
        Assert.That(messages.ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(messages.GetArrayLength(), Is.GreaterThanOrEqualTo(2), "a prompt and the reply");
        foreach (var message in messages.EnumerateArray())
        {
            AssertMessage(message);
        }

        Assert.That(messages[messages.GetArrayLength() - 1].GetProperty("role").GetString(), Is.EqualTo("assistant"), "the example ends with the reply");
        if (example.TryGetProperty("tools", out var tools))
        {
            Assert.That(tools.GetArrayLength(), Is.GreaterThan(0));
            foreach (var tool in tools.EnumerateArray())
            {
                Assert.That(tool.GetProperty("type").GetString(), Is.EqualTo("function"));
                Assert.That(tool.GetProperty("function").GetProperty("name").ValueKind, Is.EqualTo(JsonValueKind.String));
                if (tool.GetProperty("function").TryGetProperty("parameters", out var parameters))
                {
                    Assert.That(parameters.ValueKind, Is.EqualTo(JsonValueKind.Object));
                }
            }
        }

        if (example.TryGetProperty("parallel_tool_calls", out var parallel))
        {
            Assert.That(parallel.ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False));
        }
    }

    /// <summary>One request message as the Chat Completions API takes it.</summary>
    public static void AssertMessage(JsonElement message)
    {
        var role = message.GetProperty("role").GetString();
        Assert.That(role, Is.AnyOf(Roles));
        Assert.That(message.TryGetProperty("finish_reason", out _), Is.False, "a reply's finish_reason is no request field");
        var hasContent = message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String;
        var hasCalls = message.TryGetProperty("tool_calls", out var calls);
        Assert.That(hasContent || (role == "assistant" && hasCalls), Is.True, $"content or tool calls: {message}");
        if (role == "tool")
        {
            Assert.That(message.GetProperty("tool_call_id").GetString(), Is.Not.Empty);
        }

        if (!hasCalls)
        {
            return;
        }

        Assert.That(role, Is.EqualTo("assistant"));
        Assert.That(calls.GetArrayLength(), Is.GreaterThan(0));
        foreach (var call in calls.EnumerateArray())
        {
            Assert.That(call.GetProperty("id").GetString(), Is.Not.Empty);
            Assert.That(call.GetProperty("type").GetString(), Is.EqualTo("function"));
            var function = call.GetProperty("function");
            Assert.That(function.GetProperty("name").GetString(), Is.Not.Empty);
            var arguments = function.GetProperty("arguments");
            Assert.That(arguments.ValueKind, Is.EqualTo(JsonValueKind.String), "arguments are a JSON string");
            Assert.DoesNotThrow(() => JsonDocument.Parse(arguments.GetString()!).Dispose(), "the string holds JSON");
        }
    }
}
