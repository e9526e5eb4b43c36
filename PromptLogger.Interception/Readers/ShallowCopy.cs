using System.Reflection;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// A field-by-field copy of any object (<see cref="object.MemberwiseClone"/>), for snapshotting an options object on
/// the caller's thread in tens of nanoseconds, where serializing it would take microseconds.
/// </summary>
/// <remarks>
/// Shallow: values and references are copied, the objects they point to are shared. That is what a snapshot of
/// options needs — the caller (and the SDK during the call) replaces properties of a reused options object.
/// </remarks>
internal static class ShallowCopy
{
    private static readonly Func<object, object> Clone = (Func<object, object>)Delegate.CreateDelegate(
        typeof(Func<object, object>),
        typeof(object).GetMethod(nameof(MemberwiseClone), BindingFlags.Instance | BindingFlags.NonPublic)!);

    public static object Of(object value) => Clone(value);
}
