using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Reads custom LLM interfaces by convention. A method taking a prompt string is a text call (prompt → response); a
/// method taking message-like objects (a <c>Role</c> and a string <c>Content</c> or <c>Text</c>) is a chat call. The
/// result is read when it is a string, a message-like object, or an object with a string <c>Content</c>/<c>Text</c>, or
/// a task or stream of those. A string parameter named <c>model</c> names the model; numeric and boolean parameters
/// (<c>maxTokens</c>, <c>temperature</c>, …) become generation parameters under snake_case names; other arguments
/// (streams, delegates, option objects) are not read. A message member whose getter throws is left out of that message,
/// and the failure reported; the other messages and members are kept.
/// </summary>
internal sealed class ConventionReader : CallReader
{
    private static readonly string[] PromptNames = ["prompt", "input", "text", "question", "query", "message", "content", "userPrompt", "userMessage"];
    private static readonly string[] ModelParameterNames = ["model", "modelId", "modelName"];

    private readonly CallKind _kind;
    private readonly int _messagesIndex;
    private readonly MethodInfo? _materialize;
    private readonly int _promptIndex;
    private readonly int _modelIndex;
    private readonly (int Index, string Name)[] _kwargs;
    private readonly bool _readsResult;

    private ConventionReader(CallKind kind, int messagesIndex, MethodInfo? materialize, int promptIndex, int modelIndex, (int, string)[] kwargs, bool readsResult)
    {
        _kind = kind;
        _messagesIndex = messagesIndex;
        _materialize = materialize;
        _promptIndex = promptIndex;
        _modelIndex = modelIndex;
        _kwargs = kwargs;
        _readsResult = readsResult;
    }

    public override CallKind Kind => _kind;

    /// <summary>
    /// A reader when the parameters carry messages or a prompt and the result is readable (or the method was opted in
    /// with <see cref="PromptLogAttribute"/>, in which case an unreadable result is recorded without its response).
    /// </summary>
    public static CallReader? TryCreate(ParameterInfo[] parameters, ReturnShape shape, Type itemType, bool optedIn)
    {
        int messagesIndex = -1, modelIndex = -1;
        Type? messageType = null;
        var strings = new List<int>();
        var kwargs = new List<(int, string)>();
        for (var i = 0; i < parameters.Length; i++)
        {
            var type = parameters[i].ParameterType;
            var name = parameters[i].Name ?? string.Empty;
            if (type == typeof(string))
            {
                if (modelIndex < 0 && ModelParameterNames.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    modelIndex = i;
                }
                else
                {
                    strings.Add(i);
                }
            }
            else if (messagesIndex < 0 && MessageTypeOf(type) is { } element)
            {
                messagesIndex = i;
                messageType = element;
            }
            else if (IsScalar(Nullable.GetUnderlyingType(type) ?? type))
            {
                kwargs.Add((i, JsonNamingPolicy.SnakeCaseLower.ConvertName(name)));
            }
        }

        var promptIndex = PromptIndex(parameters, strings);
        if (messagesIndex < 0 && promptIndex < 0)
        {
            return null;
        }

        var readsResult = itemType == typeof(string) || MemberShape.For(itemType) is not null;
        if (!readsResult && !optedIn)
        {
            return null;
        }

        MethodInfo? materialize = null;
        if (messageType is not null && parameters[messagesIndex].ParameterType.IsAssignableFrom(messageType.MakeArrayType()))
        {
            materialize = typeof(ConventionReader).GetMethod(nameof(Materialize), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(messageType);
        }

        var kind = messagesIndex >= 0 ? CallKind.Chat : CallKind.Text;
        return new ConventionReader(kind, messagesIndex, materialize, promptIndex, modelIndex, [.. kwargs], readsResult);
    }

    public override CallRequest ReadRequest(ProxiedClient client, object?[] arguments) => new()
    {
        Kind = _kind,
        Model = ModelOf(client, arguments),
        Messages = _messagesIndex >= 0 ? ReadMessages(client, arguments) : [],
        Prompt = _promptIndex >= 0 && _kind == CallKind.Text ? arguments[_promptIndex] as string : null,
        GenerationKwargs = ReadKwargs(arguments),
    };

    public override CallRequest FallbackRequest(ProxiedClient client, object?[] arguments) =>
        new() { Kind = _kind, Model = ModelOf(client, arguments), Prompt = _promptIndex >= 0 && _kind == CallKind.Text ? arguments[_promptIndex] as string : null };

    public override void ReadResult(object? result, CallOutcome outcome)
    {
        if (!_readsResult || result is null)
        {
            return;
        }

        var (role, text, finishReason) = Read(result);
        Write(outcome, role, text, finishReason);
    }

    public override StreamObserver<T> CreateStreamObserver<T>() =>
        _readsResult ? new TextStreamObserver<T>(this) : new IgnoringStreamObserver<T>();

    private static (string? Role, string? Text, string? FinishReason) Read(object value)
    {
        if (value is string text)
        {
            return (null, text, null);
        }

        var shape = MemberShape.For(value.GetType());
        return shape is null ? (null, null, null) : (shape.RoleOf(value), shape.TextOf(value), shape.FinishReasonOf(value));
    }

    private void Write(CallOutcome outcome, string? role, string? text, string? finishReason)
    {
        if (_kind == CallKind.Text)
        {
            outcome.Response = text;
        }
        else
        {
            outcome.Completions = [new CapturedCompletion(role ?? "assistant", text, finishReason)];
        }
    }

    private string? ModelOf(ProxiedClient client, object?[] arguments) =>
        (_modelIndex >= 0 ? arguments[_modelIndex] as string : null) is { Length: > 0 } model ? model : MemberShape.ModelOf(client.Target);

    private List<CapturedMessage> ReadMessages(ProxiedClient client, object?[] arguments)
    {
        if (arguments[_messagesIndex] is not IEnumerable source)
        {
            return [];
        }

        if (source is not ICollection && _materialize is not null)
        {
            // A lazy sequence is materialized once, here, and the array passed on, so it is not run twice.
            source = (IEnumerable)_materialize.Invoke(null, [source])!;
            arguments[_messagesIndex] = source;
        }

        var captured = new List<CapturedMessage>();
        foreach (var message in source)
        {
            if (message is null)
            {
                continue;
            }

            captured.Add(ReadMessage(client, message));
        }

        return captured;
    }

    private static CapturedMessage ReadMessage(ProxiedClient client, object message)
    {
        var shape = MemberShape.For(message.GetType());
        try
        {
            return shape is null
                ? new CapturedMessage("user", message.ToString())
                : new CapturedMessage(shape.RoleOf(message) ?? "user", shape.TextOf(message), shape.ToolCallIdOf(message));
        }
#pragma warning disable CA1031 // The caller's getters may throw anything; one unreadable member must not cost the other messages.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            client.ReportFailure(exception);
        }

        // Member by member, keeping what can be read; a message that is not message-like goes by its type name.
        return shape is null
            ? new CapturedMessage("user", message.GetType().ToString())
            : new CapturedMessage(
                ReadOrNull(shape.RoleOf, message) ?? "user", ReadOrNull(shape.TextOf, message), ReadOrNull(shape.ToolCallIdOf, message));
    }

    private static string? ReadOrNull(Func<object, string?> read, object message)
    {
        try
        {
            return read(message);
        }
#pragma warning disable CA1031 // Already reported once for this message.
        catch
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private JsonObject? ReadKwargs(object?[] arguments)
    {
        if (_kwargs.Length == 0)
        {
            return null;
        }

        var kwargs = new JsonObject();
        foreach (var (index, name) in _kwargs)
        {
            if (ScalarNode(arguments[index]) is { } node)
            {
                kwargs[name] = node;
            }
        }

        return kwargs.Count > 0 ? kwargs : null;
    }

    private static JsonValue? ScalarNode(object? value) => value switch
    {
        int v => JsonValue.Create(v),
        long v => JsonValue.Create(v),
        short v => JsonValue.Create(v),
        byte v => JsonValue.Create(v),
        uint v => JsonValue.Create(v),
        ulong v => JsonValue.Create(v),
        float v => JsonValue.Create(v),
        double v => JsonValue.Create(v),
        decimal v => JsonValue.Create(v),
        bool v => JsonValue.Create(v),
        _ => null,
    };

    private static bool IsScalar(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) || type == typeof(uint) ||
        type == typeof(ulong) || type == typeof(float) || type == typeof(double) || type == typeof(decimal) || type == typeof(bool);

    private static int PromptIndex(ParameterInfo[] parameters, List<int> strings)
    {
        foreach (var index in strings)
        {
            if (PromptNames.Contains(parameters[index].Name, StringComparer.OrdinalIgnoreCase))
            {
                return index;
            }
        }

        return strings.Count > 0 ? strings[0] : -1;
    }

    private static Type? MessageTypeOf(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        Type? element = null;
        if (type.IsArray)
        {
            element = type.GetElementType();
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        {
            element = type.GetGenericArguments()[0];
        }
        else
        {
            foreach (var candidate in type.GetInterfaces())
            {
                if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                {
                    element = candidate.GetGenericArguments()[0];
                    break;
                }
            }
        }

        return element is not null && MemberShape.For(element) is { HasRole: true } ? element : null;
    }

    private static T[] Materialize<T>(IEnumerable<T> source) => [.. source];

    /// <summary>Assembles a stream of strings or text-like updates into one response as it passes.</summary>
    private sealed class TextStreamObserver<T> : StreamObserver<T>
    {
        private readonly ConventionReader _reader;
        private readonly StringBuilder _text = new();
        private string? _role;
        private string? _finishReason;
        private bool _any;

        public TextStreamObserver(ConventionReader reader) => _reader = reader;

        public override bool Observe(T update)
        {
            if (update is null)
            {
                return false;
            }

            var (role, text, finishReason) = Read(update);
            _role ??= role;
            _finishReason = finishReason ?? _finishReason;
            _text.Append(text);
            _any = true;
            return !string.IsNullOrEmpty(text);
        }

        public override void Finish(CallOutcome outcome)
        {
            if (_any)
            {
                _reader.Write(outcome, _role, _text.ToString(), _finishReason);
            }
        }
    }
}
