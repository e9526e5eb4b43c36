using System.Diagnostics;

namespace PromptLogging.Interception;

/// <summary>When a call started (wall clock, for <c>inference_on</c>) and how long it has run (monotonic clock).</summary>
internal readonly struct CallTimer
{
    private readonly long _startTimestamp;

    private CallTimer(DateTimeOffset startedAt, long startTimestamp)
    {
        StartedAt = startedAt;
        _startTimestamp = startTimestamp;
    }

    public DateTimeOffset StartedAt { get; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startTimestamp);

    public static CallTimer Start() => new(DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());

    /// <summary>A call that started at <paramref name="startedAt"/>, timed elsewhere (its duration is given, not measured).</summary>
    public static CallTimer At(DateTimeOffset startedAt) => new(startedAt, 0);
}
