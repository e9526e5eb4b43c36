using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Writing;

/// <summary>
/// More calls than the writer takes: drops are counted and reported once per interval off the caller's thread, the
/// queue is bounded by bytes as well as by count, and <see cref="WhenFull.Wait"/> makes callers wait instead.
/// The writer is held still by a <see cref="PromptLoggerOptions.Redact"/> that waits for the test (it runs on the
/// writer's thread), so what is queued and what is dropped is exact.
/// </summary>
public sealed class OverloadTests
{
    private readonly List<PromptLogger> _loggers = [];
    private TempFolder _temp = null!;
    private ManualResetEventSlim _writerGate = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _writerGate = new ManualResetEventSlim(false);
    }

    [TearDown]
    public void TearDown()
    {
        // The writer may still be held: let it go before the loggers wait for it.
        TearDownLoggers();
        _writerGate.Dispose();
        _temp.Dispose();
    }

    [Test]
    public void Drops_AreReportedAsOneSummaryPerInterval_NotOneLinePerRecord()
    {
        var time = new FakeTimeProvider();
        var log = new ListLogger();
        var logger = Start(Options(log, time, queueCapacity: 10));

        Offer(logger, 1_000);
        var dropped = logger.Diagnostics.Dropped;
        Assert.That(dropped, Is.EqualTo(990), $"{logger.Diagnostics}: ten calls fill the queue (the first is held by the writer)");
        Assert.That(logger.Diagnostics.Recorded + dropped, Is.EqualTo(1_000), "every offered call is either recorded or counted as dropped");
        Assert.That(DropLines(log), Is.Empty, "nothing logged on the callers' thread (the old writer logged 990 warnings here)");

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(DropLines(log), Is.EqualTo(new[] { $"PromptLogger dropped {dropped} records in the last 00:00:10" }));

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(DropLines(log), Has.Count.EqualTo(1), "no summary for an interval without drops");

        Offer(logger, 5);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(DropLines(log), Has.Count.EqualTo(2));
        Assert.That(DropLines(log)[1], Is.EqualTo("PromptLogger dropped 5 records in the last 00:00:10"));

        _writerGate.Set();
        logger.Flush();
        Assert.That(CountPrompts(), Is.EqualTo(logger.Diagnostics.Recorded));
        Assert.That(logger.Diagnostics.Written, Is.EqualTo(logger.Diagnostics.Recorded));
    }

    [Test]
    public void ALoggerThatNeverReturns_DoesNotHoldTheCaller()
    {
        // Every call past the first ten is dropped; the old writer logged each drop on the caller's thread, so the
        // first drop hung the caller on this logger for good.
        using var stuck = new ManualResetEventSlim(false);
        try
        {
            var logger = Start(Options(new BlockingLogger(stuck), TimeProvider.System, queueCapacity: 10));

            var caller = Task.Factory.StartNew(() => Offer(logger, 10_000), TaskCreationOptions.LongRunning);

            Assert.That(caller.Wait(TimeSpan.FromSeconds(60)), Is.True, "the caller finished while the logger was stuck");
            Assert.That(logger.Diagnostics.Dropped, Is.EqualTo(9_990));
        }
        finally
        {
            stuck.Set();
            TearDownLoggers();
        }
    }

    [Test]
    public void TheQueue_IsBoundedByBytes()
    {
        // 300,000-character prompts are estimated at about 600 KB each: a 1 MB budget takes one of them.
        var logger = Start(Options(new ListLogger(), TimeProvider.System, queueCapacity: 1_000, maxBytes: 1_000_000));
        var prompt = new string('x', 300_000);

        for (var i = 0; i < 10; i++)
        {
            logger.SaveInteraction(prompt, "r" + i);
        }

        Assert.That(logger.Diagnostics.Recorded, Is.EqualTo(1), $"{logger.Diagnostics} (the old writer queued all ten)");
        Assert.That(logger.Diagnostics.Dropped, Is.EqualTo(9));

        _writerGate.Set();
        logger.Flush();
        logger.SaveInteraction(prompt, "after");
        logger.Flush();
        Assert.That(CountPrompts(), Is.EqualTo(2), "room is given back once a record is written");
    }

    [Test]
    public void ALoggerThatThrows_DoesNotStopTheWriter()
    {
        // A conversion that fails is reported on the writer's loop; a logger that throws there ended the loop, after
        // which Flush() waited forever and Dispose threw into the application.
        var failFirst = 1;
        var options = new PromptLoggerOptions
        {
            Namespace = "ns",
            Database = _temp.DatabaseUrl(),
            Logger = new ThrowingLogger(),
            Linger = TimeSpan.Zero,
            Redact = text => Interlocked.Exchange(ref failFirst, 0) == 1 ? throw new InvalidOperationException("redactor bug") : text,
        };
        var logger = new PromptLogger(options);
        try
        {
            logger.SaveInteraction("first", "dropped: its redaction fails");
            Assert.That(logger.Flush(TimeSpan.FromSeconds(30)), Is.True, "the writer is still running");

            logger.SaveInteraction("second", "stored");
            Assert.That(logger.Flush(TimeSpan.FromSeconds(30)), Is.True, "the writer is still running");
            Assert.That(CountPrompts(), Is.EqualTo(1));
        }
        finally
        {
            Assert.DoesNotThrow(logger.Dispose);
        }
    }

    private sealed class ThrowingLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            throw new IOException("the log sink is gone");
    }

    [TestCase("tool call arguments")]
    [TestCase("tool definitions")]
    public void TheQueue_IsBoundedByBytes_WhateverPartOfTheCallTheyAreIn(string where)
    {
        // An agent's records are mostly tool calls and tool schemas; estimated at 1 KB each, ten of these 600 KB calls
        // all went into a 1 MB budget (and 100,000 of them would have gone into the default 256 MB one).
        var logger = Start(Options(new ListLogger(), TimeProvider.System, queueCapacity: 1_000, maxBytes: 1_000_000));
        var big = new string('x', 300_000);

        for (var i = 0; i < 10; i++)
        {
            logger.Record(new CapturedCall(new CallRequest
                {
                    Kind = CallKind.Chat,
                    Model = "gpt-4.1",
                    Messages = [new CapturedMessage("user", "q" + i)],
                    Tools = where == "tool definitions" ? [new CapturedTool("write_file", big)] : [],
                })
            {
                Outcome = new CallOutcome
                {
                    Completions = where == "tool call arguments"
                    ? [new CapturedCompletion("assistant", null, "tool_calls", [new CapturedToolCall("c" + i, "write_file", big)])]
                    : [new CapturedCompletion("assistant", "a" + i, "stop")],
                },
                StartedAt = DateTimeOffset.UtcNow,
            });
        }

        Assert.That(logger.Diagnostics.Recorded, Is.EqualTo(1), $"{logger.Diagnostics}");
        Assert.That(logger.Diagnostics.Dropped, Is.EqualTo(9));
        _writerGate.Set();
    }

    [Test]
    public void WhenFullWait_BlocksTheSynchronousCaller_AndLosesNothing()
    {
        var logger = Start(Options(new ListLogger(), TimeProvider.System, queueCapacity: 10, whenFull: WhenFull.Wait));

        var caller = Task.Factory.StartNew(() => Offer(logger, 200), TaskCreationOptions.LongRunning);
        Assert.That(SpinWait.SpinUntil(() => logger.Diagnostics.Recorded == 10, TimeSpan.FromSeconds(30)), Is.True, $"{logger.Diagnostics}");
        Assert.That(caller.Wait(TimeSpan.FromMilliseconds(300)), Is.False, "the caller waits for room instead of dropping");
        Assert.That(logger.Diagnostics.Dropped, Is.Zero);

        _writerGate.Set();
        Assert.That(caller.Wait(TimeSpan.FromSeconds(60)), Is.True);
        logger.Flush();

        Assert.That(CountPrompts(), Is.EqualTo(200));
        Assert.That(logger.Diagnostics.Dropped, Is.Zero);
        Assert.That(logger.Diagnostics.Recorded, Is.EqualTo(200));
    }

    [Test]
    public async Task WhenFullWait_AwaitsTheAsynchronousCaller_AndLosesNothing()
    {
        var logger = Start(Options(new ListLogger(), TimeProvider.System, queueCapacity: 10, whenFull: WhenFull.Wait));
        var generate = logger.Capture(static async prompt =>
        {
            await Task.Yield();
            return "answer to " + prompt;
        });

        var calls = Enumerable.Range(0, 200).Select(i => generate("q" + i)).ToArray();
        var all = Task.WhenAll(calls);
        Assert.That(SpinWait.SpinUntil(() => logger.Diagnostics.Recorded == 10, TimeSpan.FromSeconds(30)), Is.True, $"{logger.Diagnostics}");
        Assert.That(all.IsCompleted, Is.False, "the callers await room");

        _writerGate.Set();
        var answers = await all.WaitAsync(TimeSpan.FromSeconds(60));
        await logger.FlushAsync();

        Assert.That(answers, Has.Length.EqualTo(200));
        Assert.That(CountPrompts(), Is.EqualTo(200));
        Assert.That(logger.Diagnostics.Dropped, Is.Zero);
    }

    [Test]
    public void NewOptions_AreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PromptLogger(new PromptLoggerOptions { Database = _temp.DatabaseUrl(), MaxBufferedBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PromptLogger(new PromptLoggerOptions { Database = _temp.DatabaseUrl(), WhenFull = (WhenFull)7 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PromptLogger(new PromptLoggerOptions { Database = _temp.DatabaseUrl(), ImmediateTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PromptLogger(new PromptLoggerOptions { Database = _temp.DatabaseUrl(), CommandTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PromptLogger(new PromptLoggerOptions { Database = _temp.DatabaseUrl(), ShutdownTimeout = TimeSpan.FromSeconds(-1) }));
    }

    private PromptLogger Start(PromptLoggerOptions options)
    {
        var logger = new PromptLogger(options);
        _loggers.Add(logger);
        return logger;
    }

    private void TearDownLoggers()
    {
        _writerGate.Set();
        foreach (var logger in _loggers)
        {
            logger.Dispose();
        }

        _loggers.Clear();
    }

    private long CountPrompts()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_temp.File("prompts.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM prompts";
        return (long)command.ExecuteScalar()!;
    }

    private static void Offer(PromptLogger logger, int count)
    {
        for (var i = 0; i < count; i++)
        {
            logger.SaveInteraction("p" + i, "r");
        }
    }

    private static List<string> DropLines(ListLogger log) =>
        log.Lines.Where(static l => l.StartsWith("PromptLogger dropped", StringComparison.Ordinal))
            .Select(static l => l[..l.IndexOf(": ", StringComparison.Ordinal)])
            .ToList();

    private PromptLoggerOptions Options(ILogger log, TimeProvider time, int queueCapacity, long maxBytes = PromptLoggerOptions.DefaultMaxBufferedBytes, WhenFull whenFull = WhenFull.Drop) => new()
    {
        Namespace = "ns",
        Database = _temp.DatabaseUrl(),
        QueueCapacity = queueCapacity,
        MaxBufferedBytes = maxBytes,
        WhenFull = whenFull,
        Logger = log,
        Time = time,
        Linger = TimeSpan.Zero,
        // Runs on the writer: it holds the writer still, inside its first batch, until the test opens the gate.
        Redact = text =>
        {
            _writerGate.Wait();
            return text;
        },
    };

    /// <summary>A logger whose every call waits until the test lets it go: the slowest logger there is.</summary>
    private sealed class BlockingLogger(ManualResetEventSlim release) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            release.Wait();
    }
}
