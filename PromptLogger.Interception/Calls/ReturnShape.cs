using PromptLogging.Interception.Adapters;

namespace PromptLogging.Interception.Calls;

/// <summary>How a chat method hands back its result, which decides how the result is observed.</summary>
internal enum ReturnShape
{
    /// <summary>A plain value, returned when the call has finished.</summary>
    Value,

    /// <summary><see cref="Task{TResult}"/>.</summary>
    Task,

    /// <summary><see cref="ValueTask{TResult}"/>.</summary>
    ValueTask,

    /// <summary>System.ClientModel's <c>CollectionResult&lt;T&gt;</c> (classified and observed by the OpenAI adapter): a lazy synchronous stream.</summary>
    CollectionResult,

    /// <summary>System.ClientModel's <c>AsyncCollectionResult&lt;T&gt;</c> (classified and observed by the OpenAI adapter): a lazy asynchronous stream.</summary>
    AsyncCollectionResult,

    /// <summary><see cref="IEnumerable{T}"/>: a lazy synchronous stream.</summary>
    Enumerable,

    /// <summary><see cref="IAsyncEnumerable{T}"/>: a lazy asynchronous stream.</summary>
    AsyncEnumerable,
}

/// <summary>Classifies a declared return type into a <see cref="ReturnShape"/> and the type it carries.</summary>
internal static class ReturnShapes
{
    /// <summary>
    /// Returns the shape of <paramref name="returnType"/> and, in <paramref name="itemType"/>, the result type of a
    /// value or task, or the update type of a stream. False for <see langword="void"/>, <see cref="Task"/> and
    /// <see cref="ValueTask"/>, which carry no response to record.
    /// </summary>
    public static bool TryClassify(Type returnType, out ReturnShape shape, out Type itemType)
    {
        shape = ReturnShape.Value;
        itemType = returnType;
        if (returnType == typeof(void) || returnType == typeof(Task) || returnType == typeof(ValueTask) || returnType.IsByRef || returnType.IsPointer)
        {
            return false;
        }

        if (!returnType.IsGenericType)
        {
            return true;
        }

        var definition = returnType.GetGenericTypeDefinition();
        var argument = returnType.GetGenericArguments()[0];
        shape = definition switch
        {
            _ when definition == typeof(Task<>) => ReturnShape.Task,
            _ when definition == typeof(ValueTask<>) => ReturnShape.ValueTask,
            _ when definition == typeof(IEnumerable<>) => ReturnShape.Enumerable,
            _ when definition == typeof(IAsyncEnumerable<>) => ReturnShape.AsyncEnumerable,
            _ => StreamShapeOf(definition),
        };
        if (shape != ReturnShape.Value)
        {
            itemType = argument;
        }

        return true;
    }

    // A client family's own stream type (System.ClientModel's CollectionResult<T>), known to its adapter; else a value.
    private static ReturnShape StreamShapeOf(Type definition) =>
        ClientAdapters.For(definition.Assembly) is { } adapter && adapter.TryClassifyStream(definition, out var shape) ? shape : ReturnShape.Value;

    public static bool IsStream(this ReturnShape shape) => shape >= ReturnShape.CollectionResult;
}
