using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// How to read a message-like or text-like object of a given type, by convention: a <c>Role</c> property and a string
/// <c>Content</c> or <c>Text</c> property (optionally a <c>ToolCallId</c> and a <c>FinishReason</c>). Worked out once per type; the getters are compiled, not reflected per call.
/// </summary>
internal sealed class MemberShape
{
    private static readonly ConcurrentDictionary<Type, MemberShape?> Shapes = new();
    private static readonly ConcurrentDictionary<Type, Func<object, object?>?> ModelGetters = new();
    private static readonly string[] TextNames = ["Content", "Text"];
    private static readonly string[] ModelNames = ["Model", "ModelId", "ModelName"];

    private readonly Func<object, object?>? _role;
    private readonly Func<object, object?> _text;
    private readonly Func<object, object?>? _toolCallId;
    private readonly Func<object, object?>? _finishReason;

    private MemberShape(Func<object, object?>? role, Func<object, object?> text, Func<object, object?>? toolCallId, Func<object, object?>? finishReason)
    {
        _role = role;
        _text = text;
        _toolCallId = toolCallId;
        _finishReason = finishReason;
    }

    /// <summary>Whether objects of this type have a role (a message), not only text.</summary>
    public bool HasRole => _role is not null;

    /// <summary>The shape of <paramref name="type"/>: text (and role, when present), or <see langword="null"/> when it has no string Content/Text.</summary>
    public static MemberShape? For(Type type) => Shapes.GetOrAdd(type, Build);

    /// <summary>Reads a model name from a <c>Model</c>, <c>ModelId</c> or <c>ModelName</c> string property, when the type has one.</summary>
    public static string? ModelOf(object target) =>
        ModelGetters.GetOrAdd(target.GetType(), static type => GetterOf(type, ModelNames, typeof(string)))?.Invoke(target) as string;

    public string? RoleOf(object value) => _role?.Invoke(value) switch
    {
        null => null,
        string role => role,
        Enum role => role.ToString().ToLowerInvariant(),
        var role => role.ToString(),
    };

    public string? TextOf(object value) => _text(value) as string;

    public string? ToolCallIdOf(object value) => _toolCallId?.Invoke(value) as string;

    public string? FinishReasonOf(object value) => _finishReason?.Invoke(value) as string;

    private static MemberShape? Build(Type type)
    {
        if (type == typeof(string) || type.IsPrimitive || type == typeof(object))
        {
            return null;
        }

        var text = GetterOf(type, TextNames, typeof(string));
        return text is null
            ? null
            : new MemberShape(
                GetterOf(type, ["Role"], null), text, GetterOf(type, ["ToolCallId"], typeof(string)), GetterOf(type, ["FinishReason"], typeof(string)));
    }

    private static Func<object, object?>? GetterOf(Type type, string[] names, Type? propertyType)
    {
        foreach (var name in names)
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanRead || property.GetIndexParameters().Length != 0 ||
                (propertyType is not null && property.PropertyType != propertyType))
            {
                continue;
            }

            var instance = Expression.Parameter(typeof(object), "instance");
            var body = Expression.Convert(Expression.Property(Expression.Convert(instance, type), property), typeof(object));
            return Expression.Lambda<Func<object, object?>>(body, instance).Compile();
        }

        return null;
    }
}
