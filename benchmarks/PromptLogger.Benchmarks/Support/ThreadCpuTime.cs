using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PromptLogging.Benchmarks.Support;

/// <summary>
/// The CPU time of the calling thread, in nanoseconds: unlike wall time it does not count the time the thread waited
/// for a core, so it holds while other processes load the machine. Linux only (<c>CLOCK_THREAD_CPUTIME_ID</c>);
/// elsewhere <see cref="IsAvailable"/> is false and <see cref="Now"/> gives wall time.
/// </summary>
internal static class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    public static bool IsAvailable { get; } = OperatingSystem.IsLinux();

    public static long Now()
    {
        if (IsAvailable && ClockGetTime(ClockThreadCpuTimeId, out var time) == 0)
        {
            return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
        }

        return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
