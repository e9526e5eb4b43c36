using System.Text;
using OpenAI.Chat;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Assembles an OpenAI SDK stream as it passes: the content text, the role, tool calls by index, and the finish
/// reason and usage, which arrive on the last updates.
/// </summary>
internal sealed class OpenAIStreamObserver : StreamObserver<StreamingChatCompletionUpdate>
{
    private readonly StringBuilder _text = new();
    private StringBuilder? _refusal;
    private SortedDictionary<int, ToolCallBuilder>? _toolCalls;
    private ChatMessageRole? _role;
    private ChatFinishReason? _finishReason;
    private ChatTokenUsage? _usage;
    private string? _model;
    private string? _responseId;
    private string? _systemFingerprint;
    private bool _sawChoice;

    public override bool Observe(StreamingChatCompletionUpdate update)
    {
        var carried = false;
        _model ??= NullIfEmpty(update.Model);
        _responseId ??= NullIfEmpty(update.CompletionId);
        _systemFingerprint ??= NullIfEmpty(update.SystemFingerprint);
        _usage = update.Usage ?? _usage;
        if (update.Role is { } role)
        {
            _role ??= role;
            _sawChoice = true;
        }

        if (update.FinishReason is { } finishReason)
        {
            _finishReason = finishReason;
            _sawChoice = true;
        }

        if (update.ContentUpdate is { Count: > 0 } content)
        {
            foreach (var part in content)
            {
                if (part.Kind == ChatMessageContentPartKind.Text)
                {
                    _text.Append(part.Text);
                    _sawChoice = true;
                    carried |= !string.IsNullOrEmpty(part.Text);
                }
            }
        }

        if (!string.IsNullOrEmpty(update.RefusalUpdate))
        {
            (_refusal ??= new StringBuilder()).Append(update.RefusalUpdate);
            _sawChoice = true;
            carried = true;
        }

        if (update.ToolCallUpdates is { Count: > 0 } toolCalls)
        {
            _sawChoice = true;
            carried = true;
            _toolCalls ??= [];
            foreach (var toolCall in toolCalls)
            {
                if (!_toolCalls.TryGetValue(toolCall.Index, out var builder))
                {
                    _toolCalls[toolCall.Index] = builder = new ToolCallBuilder();
                }

                builder.Id ??= toolCall.ToolCallId;
                builder.Name ??= toolCall.FunctionName;
                if (toolCall.FunctionArgumentsUpdate is { } arguments)
                {
                    builder.Arguments.Append(arguments.ToString());
                }
            }
        }

        return carried;
    }

    public override void Finish(CallOutcome outcome)
    {
        outcome.ResponseModel = _model;
        outcome.ResponseId = _responseId;
        outcome.SystemFingerprint = _systemFingerprint;
        if (_usage is not null)
        {
            outcome.Usage = OpenAIChatReader.UsageOf(_usage);
        }

        if (!_sawChoice)
        {
            return;
        }

        CapturedToolCall[]? toolCalls = null;
        if (_toolCalls is { Count: > 0 })
        {
            toolCalls = new CapturedToolCall[_toolCalls.Count];
            var i = 0;
            foreach (var builder in _toolCalls.Values)
            {
                toolCalls[i++] = new CapturedToolCall(builder.Id, builder.Name ?? string.Empty, builder.Arguments.ToString());
            }
        }

        outcome.Completions =
        [
            new CapturedCompletion(
                OpenAIChatReader.RoleName(_role ?? ChatMessageRole.Assistant),
                _text.Length > 0 ? _text.ToString() : _refusal?.ToString(),
                OpenAIChatReader.FinishReasonName(_finishReason),
                toolCalls),
        ];
    }

    // An update that is not a chunk of the completion (an error event read as one) names no model nor id.
    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed class ToolCallBuilder
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }
}
