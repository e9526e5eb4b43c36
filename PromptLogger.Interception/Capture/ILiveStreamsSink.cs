using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception;

/// <summary>
/// A sink that keeps a registry of the streams still running, and sweeps it (see <see cref="Streams.LiveStreams"/>):
/// a stream whose enumerator the caller dropped without disposing it is then recorded as abandoned.
/// </summary>
internal interface ILiveStreamsSink : ICapturedCallSink
{
    /// <summary>The registry every stream of this sink's clients joins when its enumeration starts.</summary>
    LiveStreams LiveStreams { get; }
}
