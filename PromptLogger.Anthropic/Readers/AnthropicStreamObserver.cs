using System.Text;
using System.Text.Json;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Readers.Anthropic;

/// <summary>
/// Assembles a streamed Messages API reply as its events pass, from each event's wire JSON: <c>message_start</c>
/// (id, model, input tokens), <c>content_block_start</c>/<c>content_block_delta</c> (<c>text_delta</c> text,
/// <c>tool_use</c> blocks with their <c>input_json_delta</c> pieces), <c>message_delta</c> (stop reason, output
/// tokens). An event carries content when it adds text or starts or extends a tool call.
/// </summary>
/// <typeparam name="T">The SDK's event type (<c>RawMessageStreamEvent</c>, or its beta form); <c>json</c> gives its wire JSON.</typeparam>
internal sealed class AnthropicStreamObserver<T>(Func<T, JsonElement> json) : StreamObserver<T>
{
    private readonly Func<T, JsonElement> _json = json;
    private readonly StringBuilder _text = new();
    private List<ToolUseBuilder>? _toolUses;
    private string? _responseId;
    private string? _model;
    private string? _role;
    private string? _stopReason;
    private long? _inputTokens;
    private long? _cachedInputTokens;
    private long? _outputTokens;
    private bool _sawMessage;

    public override bool Observe(T update)
    {
        var json = _json(update);
        switch (AnthropicJson.String(json, "type"))
        {
            case "message_start":
                var message = AnthropicJson.Property(json, "message");
                _sawMessage = true;
                _responseId ??= AnthropicJson.String(message, "id");
                _model ??= AnthropicJson.String(message, "model");
                _role ??= AnthropicJson.String(message, "role");
                ReadUsage(AnthropicJson.Property(message, "usage"));
                return false;
            case "content_block_start":
                return StartBlock(AnthropicJson.Long(json, "index"), AnthropicJson.Property(json, "content_block"));
            case "content_block_delta":
                return AddDelta(AnthropicJson.Long(json, "index"), AnthropicJson.Property(json, "delta"));
            case "message_delta":
                _sawMessage = true;
                _stopReason = AnthropicJson.String(AnthropicJson.Property(json, "delta"), "stop_reason") ?? _stopReason;
                ReadUsage(AnthropicJson.Property(json, "usage"));
                return false;
            default:
                return false;
        }
    }

    public override void Finish(CallOutcome outcome)
    {
        outcome.ResponseId = _responseId;
        outcome.ResponseModel = _model;
        if (_inputTokens is not null || _outputTokens is not null)
        {
            outcome.Usage = new CapturedUsage(_inputTokens, _outputTokens, _cachedInputTokens);
        }

        if (!_sawMessage)
        {
            return;
        }

        CapturedToolCall[]? toolCalls = null;
        if (_toolUses is { Count: > 0 })
        {
            toolCalls = new CapturedToolCall[_toolUses.Count];
            for (var i = 0; i < toolCalls.Length; i++)
            {
                toolCalls[i] = _toolUses[i].ToToolCall();
            }
        }

        outcome.Completions = [new CapturedCompletion(_role ?? "assistant", _text.Length > 0 ? _text.ToString() : null, _stopReason, toolCalls)];
    }

    private bool StartBlock(long? index, JsonElement block)
    {
        _sawMessage = true;
        switch (AnthropicJson.String(block, "type"))
        {
            case "text":
                var text = AnthropicJson.String(block, "text");
                _text.Append(text);
                return !string.IsNullOrEmpty(text);
            case "tool_use":
                (_toolUses ??= []).Add(new ToolUseBuilder(
                    index,
                    AnthropicJson.String(block, "id"),
                    AnthropicJson.String(block, "name") ?? string.Empty,
                    AnthropicJson.RawText(AnthropicJson.Property(block, "input"))));
                return true;
            default:
                return false;
        }
    }

    private bool AddDelta(long? index, JsonElement delta)
    {
        switch (AnthropicJson.String(delta, "type"))
        {
            case "text_delta":
                var text = AnthropicJson.String(delta, "text");
                _text.Append(text);
                return !string.IsNullOrEmpty(text);
            case "input_json_delta":
                var json = AnthropicJson.String(delta, "partial_json");
                if (string.IsNullOrEmpty(json) || FindToolUse(index) is not { } toolUse)
                {
                    return false;
                }

                toolUse.Arguments.Append(json);
                return true;
            default:
                return false;
        }
    }

    private ToolUseBuilder? FindToolUse(long? index)
    {
        if (_toolUses is null)
        {
            return null;
        }

        for (var i = _toolUses.Count - 1; i >= 0; i--)
        {
            if (_toolUses[i].Index == index)
            {
                return _toolUses[i];
            }
        }

        return null;
    }

    // message_start carries the input tokens (and a first output count); message_delta the cumulative output tokens.
    private void ReadUsage(JsonElement usage)
    {
        _inputTokens = AnthropicJson.Long(usage, "input_tokens") ?? _inputTokens;
        _cachedInputTokens = AnthropicJson.Long(usage, "cache_read_input_tokens") ?? _cachedInputTokens;
        _outputTokens = AnthropicJson.Long(usage, "output_tokens") ?? _outputTokens;
    }

    private sealed class ToolUseBuilder(long? index, string? id, string name, string? startInput)
    {
        public long? Index { get; } = index;

        public StringBuilder Arguments { get; } = new();

        // The arguments streamed as input_json_delta pieces; the block's starting input ({}) when none came.
        public CapturedToolCall ToToolCall() => new(id, name, Arguments.Length > 0 ? Arguments.ToString() : startInput);
    }
}
