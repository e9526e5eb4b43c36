using System.ClientModel;
using PromptLogging.Interception.Calls;

namespace PromptLogging.Interception.Streams;

/// <summary>Observes a <see cref="CollectionResult{T}"/> (the OpenAI SDK's synchronous stream) as the caller enumerates it.</summary>
internal sealed class CollectionResultHandler<T> : ResultHandler
{
    public override object? Handle(object? returned, CapturedCall call) =>
        returned is CollectionResult<T> result && ObservedCollectionResult<T>.IsSupported ? new ObservedCollectionResult<T>(result, call) : returned;
}

/// <summary>Observes an <see cref="AsyncCollectionResult{T}"/> (the OpenAI SDK's asynchronous stream) as the caller enumerates it.</summary>
internal sealed class AsyncCollectionResultHandler<T> : ResultHandler
{
    public override object? Handle(object? returned, CapturedCall call) =>
        returned is AsyncCollectionResult<T> result && ObservedAsyncCollectionResult<T>.IsSupported ? new ObservedAsyncCollectionResult<T>(result, call) : returned;
}
