namespace PromptLogging.Interception.Streams;

/// <summary>The end of one observed enumeration: records it once, however it ended.</summary>
internal interface IStreamEnd
{
    /// <summary>The enumeration finished, was abandoned (<paramref name="error"/> null) or faulted. Only the first call counts. Never throws.</summary>
    void OnEnd(Exception? error);
}
