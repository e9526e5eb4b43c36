using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Writing;

/// <summary>
/// A PostgreSQL server that accepts the batch but never answers — for real: another session holds a lock on
/// <c>prompts</c>, so the insert waits. Batches time out after <see cref="PromptLoggerOptions.CommandTimeout"/> and
/// are spooled; <see cref="PromptLogger.Flush(TimeSpan)"/>, <see cref="PromptLogger.FlushAsync"/> and disposal honour
/// their bounds and say what is still pending.
/// </summary>
public sealed class HungServerTests
{
    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(StoreKind.PostgreSql);

    [TearDown]
    public void TearDown()
    {
        _store?.Dispose();
        _store = null!;
    }

    [Test]
    public async Task ABatchTheServerDoesNotAnswer_IsSpooledAfterTheCommandTimeout_AndFlushHonoursItsBounds()
    {
        var log = new ListLogger();
        using var logger = new PromptLogger(Options(log));
        logger.SaveInteraction("before", "r");
        logger.Flush();

        using (_store.HoldWriteLock())
        {
            logger.SaveInteraction("while hung", "r");

            Assert.That(logger.Flush(TimeSpan.FromMilliseconds(200)), Is.False, "the insert hangs for the 2 s command timeout");
            Assert.That(logger.Diagnostics.Pending, Is.EqualTo(1), $"{logger.Diagnostics}");
            Assert.That(log.Lines, Has.One.StartsWith("PromptLogger Flush gave up after 00:00:00.2000000: 1 records still pending"));

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            Assert.That(async () => await logger.FlushAsync(cancel.Token), Throws.InstanceOf<OperationCanceledException>());

            Assert.That(logger.Flush(TimeSpan.FromSeconds(60)), Is.True, "done once the batch timed out and was spooled");
            var hung = logger.Diagnostics;
            Assert.That(hung.Spooled, Is.EqualTo(1), $"{hung}");
            Assert.That(hung.FailedBatches, Is.EqualTo(1));
            Assert.That(hung is { Pending: 0, Dropped: 0 }, Is.True, $"{hung}");
        }

        Assert.That(SpinWait.SpinUntil(() => logger.Diagnostics.Replayed == 1, TimeSpan.FromSeconds(60)), Is.True, $"{logger.Diagnostics}");
        await logger.FlushAsync();
        Assert.That(_store.Prompts(), Is.EqualTo(new[] { "before", "while hung" }));
    }

    [Test]
    public void Dispose_PastItsTimeout_SpoolsWhatTheServerHasNotTaken()
    {
        using (var first = new PromptLogger(Options(new ListLogger())))
        {
            first.SaveInteraction("before", "r");
        }

        var options = Options(new ListLogger());
        options.ShutdownTimeout = TimeSpan.Zero;

        PromptLoggerDiagnostics disposed;
        using (_store.HoldWriteLock())
        {
            var logger = new PromptLogger(options);
            for (var i = 0; i < 3; i++)
            {
                logger.SaveInteraction("at exit " + i, "r");
            }

            logger.Dispose();
            disposed = logger.Diagnostics;
        }

        Assert.That(disposed.Spooled, Is.EqualTo(3), $"{disposed}");
        Assert.That(disposed is { Dropped: 0, Pending: 0 }, Is.True, $"{disposed}");
        using (var next = new PromptLogger(Options(new ListLogger())))
        {
            Assert.That(SpinWait.SpinUntil(() => next.Diagnostics.Replayed == 3, TimeSpan.FromSeconds(60)), Is.True, $"{next.Diagnostics}");
        }

        Assert.That(_store.Prompts(), Is.EqualTo(new[] { "before", "at exit 0", "at exit 1", "at exit 2" }));
    }

    private PromptLoggerOptions Options(ListLogger log) => new()
    {
        Namespace = "ns",
        Database = _store.Url,
        Logger = log,
        CommandTimeout = TimeSpan.FromSeconds(2),
    };
}
