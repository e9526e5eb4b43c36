using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Readers;

namespace PromptLogging.Interception.Conventions;

/// <summary>Everything decided about one chat method, once: who reads it and how its result is observed.</summary>
internal sealed class ChatMethodPlan
{
    public ChatMethodPlan(CallReader reader, ReturnShape shape, Type itemType)
    {
        Reader = reader;
        Shape = shape;
        Handler = ResultHandler.For(shape, itemType);
    }

    public CallReader Reader { get; }

    public ReturnShape Shape { get; }

    public ResultHandler Handler { get; }
}
