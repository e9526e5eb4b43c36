using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using PromptLogging.Interception.Adapters;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Readers;

namespace PromptLogging.Interception.Conventions;

/// <summary>
/// Decides, once per method, whether it is a chat call and how to read it, and caches the answer.
/// </summary>
/// <remarks>
/// A method is a chat call when it is not opted out with <c>[PromptLog(Ignore = true)]</c>; its name (or its stem, see
/// <see cref="ChatMethodNames.Stem"/>) is a conventional or configured chat name, or it carries <c>[PromptLog]</c>;
/// it returns something (a value, a task of one, or a stream); and a reader understands its parameters — a client
/// family's (the OpenAI SDK's messages, through its <see cref="ClientAdapter"/>), Microsoft.Extensions.AI's messages,
/// message-like objects, or a prompt string. Conventions are
/// shared between proxies with the same extra names (they are interned), so each method is analysed once per
/// process. Thread-safe.
/// </remarks>
internal sealed class ChatMethodConvention
{
    private static readonly ConcurrentDictionary<string, ChatMethodConvention> Interned = new(StringComparer.Ordinal);

    private readonly FrozenSet<string> _stems;
    private readonly ConcurrentDictionary<MethodInfo, ChatMethodPlan?> _plans = new();
    private readonly Func<MethodInfo, ChatMethodPlan?> _resolve;

    private ChatMethodConvention(FrozenSet<string> stems)
    {
        _stems = stems;
        _resolve = Resolve;
    }

    /// <summary>The convention with the default names plus <paramref name="extraNames"/>; the same instance for the same names.</summary>
    public static ChatMethodConvention For(IEnumerable<string>? extraNames)
    {
        var stems = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ChatMethodNames.Defaults)
        {
            stems.Add(name);
        }

        foreach (var name in extraNames ?? [])
        {
            if (!string.IsNullOrWhiteSpace(name))
            {
                stems.Add(ChatMethodNames.Stem(name.Trim()));
            }
        }

        var key = string.Join('\n', stems).ToUpperInvariant();
        return Interned.GetOrAdd(key, static (_, s) => new ChatMethodConvention(s.ToFrozenSet(StringComparer.OrdinalIgnoreCase)), stems);
    }

    /// <summary>The plan for <paramref name="method"/>, or <see langword="null"/> when it is not a chat call.</summary>
    public ChatMethodPlan? Find(MethodInfo method) =>
        _plans.TryGetValue(method, out var plan) ? plan : _plans.GetOrAdd(method, _resolve);

    /// <summary>Whether <paramref name="name"/> looks like a chat method name.</summary>
    public bool IsChatName(string name) => _stems.Contains(name) || _stems.Contains(ChatMethodNames.Stem(name));

    private ChatMethodPlan? Resolve(MethodInfo method)
    {
        if (method.IsStatic || method.IsSpecialName || method.ContainsGenericParameters)
        {
            return null;
        }

        // The client families' adapters (see ClientAdapters) first: some decide a method before its name is looked
        // at (the OpenAI Responses client's protocol-only rule, the Anthropic SDK's Messages.Create).
        var adapters = ClientAdapters.For(method);
        foreach (var adapter in adapters)
        {
            if (adapter.TryDecide(method, out var decided))
            {
                return decided;
            }
        }

        var attribute = method.GetCustomAttribute<PromptLogAttribute>(inherit: true);
        if (attribute?.Ignore == true || (attribute is null && !IsChatName(method.Name)))
        {
            return null;
        }

        var parameters = method.GetParameters();
        if (Array.Exists(parameters, static p => p.ParameterType.IsByRef || p.ParameterType.IsPointer))
        {
            return null;
        }

        if (!ReturnShapes.TryClassify(method.ReturnType, out var shape, out var itemType))
        {
            return null;
        }

        CallReader? reader = null;
        foreach (var adapter in adapters)
        {
            reader ??= adapter.CreateReader(parameters, shape, itemType);
        }

        reader ??= ExtensionsAIChatReader.TryCreate(parameters, shape, itemType)
                   ?? ConventionReader.TryCreate(parameters, shape, itemType, optedIn: attribute is not null);
        return reader is null ? null : new ChatMethodPlan(reader, shape, itemType);
    }
}
