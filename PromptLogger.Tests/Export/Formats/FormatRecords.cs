using System.Text;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Export.Formats;

/// <summary>
/// Chat records of every shape the dataset formats meet, made by the real record factory and changed where a
/// record imported from elsewhere (the Python package) differs: a plain answer, a reply of tool calls, a request
/// carrying a tool round trip whose arguments are a JSON object, a developer message, a failed call, a call without
/// a reply, and hostile text.
/// </summary>
internal static class FormatRecords
{
    public const string Hostile = "=cmd|' /C calc'!A0, \"quoted\", a\r\nline break; naïve — 日本";

    public static readonly string Weather = """[{"type":"function","function":{"name":"get_weather","description":"The weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";

    /// <summary>A plain question and answer.</summary>
    public static PromptRecord Plain(string question = "What is 2+2?", string answer = "4", string model = "gpt-4.1") =>
        StoredRecords.Chat("default", question, answer, model);

    /// <summary>The model answered with a tool call (arguments a JSON string, as the OpenAI client returns them).</summary>
    public static PromptRecord ToolCallReply() => Plain("Weather in Paris?") with
    {
        Tools = Bytes(Weather),
        GenerationKwargs = Bytes("""{"max_tokens":50,"parallel_tool_calls":false,"temperature":0.2}"""),
        Completions = Bytes("""[{"role":"assistant","finish_reason":"tool_calls","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]}]"""),
    };

    /// <summary>
    /// A request with a developer message and a tool round trip whose arguments are an object and whose call has no
    /// type (as a Python-package database can hold them), answered with text.
    /// </summary>
    public static PromptRecord ToolRoundTrip() => Plain() with
    {
        Tools = Bytes(Weather),
        Messages = Bytes("""[{"role":"developer","content":"Answer briefly."},{"role":"user","content":"Weather in Oslo?"},{"role":"assistant","tool_calls":[{"id":"call_9","function":{"name":"get_weather","arguments":{"city":"Oslo"}}}]},{"role":"tool","tool_call_id":"call_9","content":"{\"temp\":3}"}]"""),
        Completions = Bytes("""[{"role":"assistant","content":"3 °C in Oslo.","finish_reason":"stop"}]"""),
    };

    public static PromptRecord Failed() => Plain("fails") with { Completions = null, Error = "HTTP 500: upstream error" };

    public static PromptRecord NoReply() => Plain("nothing back") with { Completions = Bytes("""[{"role":"assistant","content":"","finish_reason":"length"}]""") };

    public static PromptRecord HostileText() => Plain(Hostile, Hostile) with
    {
        ConversationId = Hostile,
        UserId = "@user,1",
        Tags = StoredRecords.JsonBytes(new[] { Hostile, "+tag" }),
        Metadata = StoredRecords.JsonBytes(new Dictionary<string, string> { ["-k"] = Hostile }),
        Error = Hostile,
    };

    /// <summary>Every shape above, in this order.</summary>
    public static PromptRecord[] All() => [Plain(), ToolCallReply(), ToolRoundTrip(), Failed(), NoReply()];

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);
}
