using PromptLogging.Interception.Adapters;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Calls;

/// <summary>
/// Observes one return shape: records a value at once, a task when it completes, a stream when it is enumerated.
/// Made once per chat method (closed over the result type, so no reflection per call).
/// </summary>
internal abstract class ResultHandler
{
    /// <summary>Returns what the caller receives in place of <paramref name="returned"/>, of the same declared type.</summary>
    public abstract object? Handle(object? returned, CapturedCall call);

    public static ResultHandler For(ReturnShape shape, Type itemType)
    {
        if (shape is ReturnShape.CollectionResult or ReturnShape.AsyncCollectionResult)
        {
            // A family's own stream type: only the adapter that classified it (loaded, then) observes it.
            foreach (var adapter in ClientAdapters.Loaded)
            {
                if (adapter.ResultHandlerFor(shape, itemType) is { } handler)
                {
                    return handler;
                }
            }

            return ValueResultHandler.Instance;
        }

        var definition = shape switch
        {
            ReturnShape.Value => null,
            ReturnShape.Task => typeof(TaskResultHandler<>),
            ReturnShape.ValueTask => typeof(ValueTaskResultHandler<>),
            ReturnShape.Enumerable => typeof(EnumerableHandler<>),
            ReturnShape.AsyncEnumerable => typeof(AsyncEnumerableHandler<>),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown return shape."),
        };
        return definition is null
            ? ValueResultHandler.Instance
            : (ResultHandler)Activator.CreateInstance(definition.MakeGenericType(itemType))!;
    }
}

internal sealed class ValueResultHandler : ResultHandler
{
    public static readonly ValueResultHandler Instance = new();

    public override object? Handle(object? returned, CapturedCall call)
    {
        call.Succeed(returned);
        return returned;
    }
}

internal sealed class TaskResultHandler<T> : ResultHandler
{
    public override object? Handle(object? returned, CapturedCall call)
    {
        if (returned is not Task<T> task)
        {
            call.Succeed(returned);
            return returned;
        }

        if (task.IsCompleted && !call.RecordingMayWait)
        {
            Finish(task, call);
            return task;
        }

        return Observe(task, call);
    }

    // The caller gets a task of the same type that completes after the call is recorded (so a Flush right after
    // the await includes it) with the same result, the same exception object, or the same cancellation. When
    // recording may wait (Immediate durability, WhenFull.Wait), it is awaited: no thread is blocked meanwhile.
    private static async Task<T> Observe(Task<T> task, CapturedCall call)
    {
        T result;
        try
        {
            result = await task.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await call.FailAsync(exception).ConfigureAwait(false);
            throw;
        }

        await call.SucceedAsync(result).ConfigureAwait(false);
        return result;
    }

    private static void Finish(Task<T> task, CapturedCall call)
    {
        if (task.IsCompletedSuccessfully)
        {
            call.Succeed(task.Result);
            return;
        }

        try
        {
            task.GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // Only reading the failure, to record it; the caller still gets the faulted task itself.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            call.Fail(exception);
        }
    }
}

internal sealed class ValueTaskResultHandler<T> : ResultHandler
{
    public override object? Handle(object? returned, CapturedCall call)
    {
        if (returned is not ValueTask<T> valueTask)
        {
            call.Succeed(returned);
            return returned;
        }

        if (valueTask.IsCompletedSuccessfully && !call.RecordingMayWait)
        {
            call.Succeed(valueTask.Result);
            return returned;
        }

        // A ValueTask may be awaited only once: consume it here and hand out one over the observing task.
        return new ValueTask<T>(Observe(valueTask, call));
    }

    private static async Task<T> Observe(ValueTask<T> valueTask, CapturedCall call)
    {
        T result;
        try
        {
            result = await valueTask.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await call.FailAsync(exception).ConfigureAwait(false);
            throw;
        }

        await call.SucceedAsync(result).ConfigureAwait(false);
        return result;
    }
}

internal sealed class EnumerableHandler<T> : ResultHandler
{
    public override object? Handle(object? returned, CapturedCall call) =>
        returned is IEnumerable<T> result ? new ObservedEnumerable<T>(result, call) : returned;
}

internal sealed class AsyncEnumerableHandler<T> : ResultHandler
{
    public override object? Handle(object? returned, CapturedCall call) =>
        returned is IAsyncEnumerable<T> result ? new ObservedAsyncEnumerable<T>(result, call) : returned;
}
