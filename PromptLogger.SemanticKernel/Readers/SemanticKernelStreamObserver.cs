using System.Text;
using Microsoft.SemanticKernel;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Streams;
using OpenAIChat = OpenAI.Chat;

namespace PromptLogging.Interception.Readers.SemanticKernel;

/// <summary>
/// Assembles a Semantic Kernel stream as it passes. An update of the OpenAI connector carries the OpenAI SDK's own
/// update, which is read as the SDK path reads it (text, role, tool calls, finish reason, usage, model and id); another
/// connector's updates are read through Semantic Kernel's types: the text, the role, streamed function calls, and the
/// finish reason, id and usage from the metadata.
/// </summary>
internal sealed class SemanticKernelStreamObserver : StreamObserver<StreamingChatMessageContent>
{
    private OpenAIStreamObserver? _openAI;
    private Assembled? _assembled;

    public override bool Observe(StreamingChatMessageContent update)
    {
        if (update is null)
        {
            return false;
        }

        if (update.InnerContent is OpenAIChat.StreamingChatCompletionUpdate sdkUpdate)
        {
            return (_openAI ??= new OpenAIStreamObserver()).Observe(sdkUpdate);
        }

        return (_assembled ??= new Assembled()).Observe(update);
    }

    public override void Finish(CallOutcome outcome)
    {
        if (_openAI is not null)
        {
            _openAI.Finish(outcome);
        }
        else
        {
            _assembled?.Finish(outcome);
        }
    }

    /// <summary>A stream read through Semantic Kernel's own types.</summary>
    private sealed class Assembled
    {
        private readonly StringBuilder _text = new();
        private SortedDictionary<(int Request, int Index), ToolCallBuilder>? _toolCalls;
        private string? _role;
        private string? _finishReason;
        private string? _responseId;
        private CapturedUsage? _usage;

        public bool Observe(StreamingChatMessageContent update)
        {
            var carried = false;
            if (update.Role is { } role)
            {
                _role ??= SemanticKernelMessages.RoleName(role);
            }

            if (!string.IsNullOrEmpty(update.Content))
            {
                _text.Append(update.Content);
                carried = true;
            }

            foreach (var item in update.Items)
            {
                if (item is not StreamingFunctionCallUpdateContent call)
                {
                    continue;
                }

                _toolCalls ??= [];
#pragma warning disable SKEXP0001 // Which request of the call it belongs to: automatic function calling streams several.
                var key = (call.RequestIndex, call.FunctionCallIndex);
#pragma warning restore SKEXP0001
                if (!_toolCalls.TryGetValue(key, out var builder))
                {
                    _toolCalls[key] = builder = new ToolCallBuilder();
                }

                builder.Id ??= call.CallId;
                builder.Name ??= call.Name;
                builder.Arguments.Append(call.Arguments);
                carried = true;
            }

            var metadata = update.Metadata;
            _finishReason = SemanticKernelMessages.FinishReasonOf(metadata) ?? _finishReason;
            _responseId ??= metadata?.GetValueOrDefault("CompletionId") as string ?? metadata?.GetValueOrDefault("Id") as string;
            _usage = SemanticKernelMessages.UsageOf(metadata?.GetValueOrDefault("Usage")) ?? _usage;
            return carried;
        }

        public void Finish(CallOutcome outcome)
        {
            outcome.ResponseId = _responseId;
            outcome.Usage = _usage;
            List<CapturedToolCall>? toolCalls = null;
            if (_toolCalls is not null)
            {
                foreach (var builder in _toolCalls.Values)
                {
                    (toolCalls ??= []).Add(new CapturedToolCall(builder.Id, builder.Name ?? string.Empty, builder.Arguments.ToString()));
                }
            }

            outcome.Completions =
            [
                new CapturedCompletion(_role ?? "assistant", _text.Length > 0 ? _text.ToString() : null, _finishReason, toolCalls),
            ];
        }
    }

    private sealed class ToolCallBuilder
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }
}
