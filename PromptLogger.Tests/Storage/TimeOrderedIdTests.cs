using PromptLogging.Storage;

namespace PromptLogging.Tests.Storage;

public sealed class TimeOrderedIdTests
{
    [Test]
    public void New_IsAVersion7UuidCarryingTheMillisecondsOfItsTime()
    {
        var time = new DateTimeOffset(2026, 11, 27, 13, 45, 6, 789, TimeSpan.Zero);

        var id = TimeOrderedId.New(time);

        Assert.Multiple(() =>
        {
            Assert.That(id.Version, Is.EqualTo(7));
            Assert.That(id.Variant >> 2, Is.EqualTo(0b10), "RFC 9562 variant");
            var text = id.ToString("N");
            Assert.That(Convert.ToInt64(text[..12], 16), Is.EqualTo(time.ToUnixTimeMilliseconds()));
        });
    }

    [Test]
    public void New_SortsByTimeAsText_AcrossMilliseconds()
    {
        var start = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 1_000).Select(i => TimeOrderedId.New(start.AddMilliseconds(i)).ToString()).ToList();

        Assert.That(ids, Is.Ordered.Using<string>(StringComparer.Ordinal));
    }

    [Test]
    public void New_WithinOneMillisecond_IsUniqueAcrossThreads()
    {
        var time = DateTimeOffset.UtcNow;
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                ids.Add(TimeOrderedId.New(time));
            }
        });

        Assert.That(ids.Distinct().Count(), Is.EqualTo(200_000));
    }

    [Test]
    public void New_BeforeTheUnixEpoch_CountsAsTheEpoch()
    {
        var id = TimeOrderedId.New(new DateTimeOffset(1969, 7, 20, 20, 17, 0, TimeSpan.Zero));

        Assert.That(id.ToString("N")[..12], Is.EqualTo("000000000000"));
    }
}
