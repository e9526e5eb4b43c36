using System.Runtime.ExceptionServices;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// Reads a caller's lazy sequence of messages once, on its behalf: the call is then given what was read, so the
/// sequence runs as often as without PromptLogger — once.
/// </summary>
internal static class LazySequence
{
    /// <summary>
    /// Reads <paramref name="source"/> into an array; <paramref name="toSend"/> is what the call is to be given instead:
    /// the array, or — when the sequence threw part-way — a sequence that yields what was read and then throws the same
    /// exception object, as the caller's own sequence did. Never throws.
    /// </summary>
    public static T[] Read<T>(IEnumerable<T> source, out IEnumerable<T> toSend)
    {
        var read = new List<T>();
        try
        {
            foreach (var item in source)
            {
                read.Add(item);
            }
        }
#pragma warning disable CA1031 // The caller's own exception: handed back to the call, which throws it to the caller unchanged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var items = read.ToArray();
            toSend = ThenThrow(items, ExceptionDispatchInfo.Capture(exception));
            return items;
        }

        var array = read.ToArray();
        toSend = array;
        return array;
    }

    private static IEnumerable<T> ThenThrow<T>(T[] items, ExceptionDispatchInfo exception)
    {
        foreach (var item in items)
        {
            yield return item;
        }

        exception.Throw();
    }
}
