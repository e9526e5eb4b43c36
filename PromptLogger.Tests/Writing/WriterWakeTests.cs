using Microsoft.Extensions.Time.Testing;
using PromptLogging.Writing;

namespace PromptLogging.Tests.Writing;

/// <summary>The wake/linger protocol of the writer, on a clock the test drives: no sleeps, no real time.</summary>
public sealed class WriterWakeTests
{
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(10);

    [Test]
    public void AnIdleLoop_IsWokenByTheFirstCallOnly()
    {
        var wake = new WriterWake(new FakeTimeProvider(), Linger);
        Assert.That(wake.GoIdle(() => false), Is.True);
        var woken = wake.WaitAsync();
        Assert.That(woken.IsCompleted, Is.False, "nothing woke it yet");

        wake.Wake(hurry: false);

        Assert.That(woken.IsCompleted, Is.True);
        Assert.That(wake.IsIdle, Is.False, "the first caller cleared the idle flag, so the next ones pay nothing");
    }

    [Test]
    public void WorkFoundWhileGoingIdle_KeepsTheLoopAwake()
    {
        var wake = new WriterWake(new FakeTimeProvider(), Linger);

        Assert.That(wake.GoIdle(() => true), Is.False);
        Assert.That(wake.IsIdle, Is.False);
    }

    [Test]
    public void ACallMadeJustBeforeTheLoopGoesIdle_IsSeenByIt()
    {
        // The caller enqueues and finds the loop awake (no wake-up); the loop then goes idle and must see the work.
        var wake = new WriterWake(new FakeTimeProvider(), Linger);
        var queued = 0;
        Interlocked.Increment(ref queued);
        wake.Wake(hurry: false);

        Assert.That(wake.GoIdle(() => Volatile.Read(ref queued) > 0), Is.False);
    }

    [Test]
    public void Lingering_LastsExactlyTheLingerOnTheInjectedClock()
    {
        var time = new FakeTimeProvider();
        var wake = new WriterWake(time, Linger);

        var linger = wake.LingerAsync();
        time.Advance(Linger - TimeSpan.FromTicks(1));
        Assert.That(linger.IsCompleted, Is.False, "still lingering one tick before the end");

        time.Advance(TimeSpan.FromTicks(1));
        Assert.That(linger.Wait(TimeSpan.FromSeconds(30)), Is.True, "over once the clock reaches the linger");
    }

    [Test]
    public void AHurry_CutsTheLingerShortWithoutTheClockMoving()
    {
        var time = new FakeTimeProvider();
        var wake = new WriterWake(time, TimeSpan.FromHours(1));
        Assert.That(wake.GoIdle(() => false), Is.True);
        wake.Wake(hurry: false);

        var linger = wake.LingerAsync();
        Assert.That(linger.IsCompleted, Is.False);
        wake.Wake(hurry: true);

        Assert.That(linger.Wait(TimeSpan.FromSeconds(30)), Is.True);
    }

    [Test]
    public void AHurryBeforeLingering_SkipsTheLinger()
    {
        var wake = new WriterWake(new FakeTimeProvider(), TimeSpan.FromHours(1));
        Assert.That(wake.GoIdle(() => false), Is.True);
        wake.Wake(hurry: true);

        Assert.That(wake.LingerAsync().IsCompleted, Is.True);
    }

    [Test]
    public void WaitingWithATimeout_EndsOnTheClockOrOnAWakeUp()
    {
        var time = new FakeTimeProvider();
        var wake = new WriterWake(time, Linger);
        Assert.That(wake.GoIdle(() => false), Is.True);

        var timedOut = wake.WaitAsync(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.That(timedOut.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(timedOut.Wait(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(timedOut.Result, Is.False, "nobody woke it");

        var woken = wake.WaitAsync(TimeSpan.FromSeconds(5));
        wake.Wake(hurry: false);
        Assert.That(woken.Wait(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(woken.Result, Is.True);
    }

    [Test]
    public void TheLogger_LingersOnItsInjectedClock()
    {
        // With a clock that does not move and a linger of an hour, a lone buffered call is written only when the
        // test moves the clock (on the old writer the linger ran on the real clock and ended after 10 ms).
        var time = new FakeTimeProvider();
        using var temp = new Support.TempFolder();
        using var logger = new PromptLogger(new PromptLoggerOptions { Namespace = "ns", Database = temp.DatabaseUrl(), Time = time, Linger = TimeSpan.FromHours(1) });

        Assert.That(SpinWait.SpinUntil(() => logger.Writer.IsIdle, TimeSpan.FromSeconds(30)), Is.True, "the loop went to sleep");
        logger.SaveInteraction("lone", "r");
        Assert.That(SpinWait.SpinUntil(() => logger.Diagnostics.Written == 1, TimeSpan.FromMilliseconds(500)), Is.False, "still lingering");

        time.Advance(TimeSpan.FromHours(1));
        Assert.That(SpinWait.SpinUntil(() => logger.Diagnostics.Written == 1, TimeSpan.FromSeconds(30)), Is.True, $"{logger.Diagnostics}");
    }
}
