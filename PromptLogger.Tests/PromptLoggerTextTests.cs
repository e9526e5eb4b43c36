using System.Text.Json;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests;

[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class PromptLoggerTextTests(StoreKind kind)
{
    private TestStore _store = null!;
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _store = TestStore.Create(kind);
        _temp = _store.Temp;
    }

    [TearDown]
    public void TearDown()
    {
        // Also after a skipped SetUp, which leaves no store.
        _store?.Dispose();
        _store = null!;
    }

    [Test]
    public void SaveInteraction_ThenExportTextPrompts_WritesTheSeedShape()
    {
        using var logger = new PromptLogger("my-namespace", _store.Url);
        logger.SaveInteraction("What is the weather?", "It's sunny!");

        var count = logger.ExportTextPrompts(_temp.File("prompts.jsonl"));

        Assert.That(count, Is.EqualTo(1));
        var line = Jsonl.Read(_temp.File("prompts.jsonl")).Single();
        Assert.That(Jsonl.Names(line), Is.EqualTo(new[] { "id", "namespace", "prompt", "response", "inference_on" }));
        Assert.That(Guid.TryParse(line.GetProperty("id").GetString(), out _), Is.True);
        Assert.That(line.GetProperty("namespace").GetString(), Is.EqualTo("my-namespace"));
        Assert.That(line.GetProperty("prompt").GetString(), Is.EqualTo("What is the weather?"));
        Assert.That(line.GetProperty("response").GetString(), Is.EqualTo("It's sunny!"));
        Assert.That(line.GetProperty("inference_on").ValueKind, Is.EqualTo(JsonValueKind.Number));
        Assert.That(line.GetProperty("inference_on").GetDouble(),
            Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).Within(60));
    }

    [Test]
    public void SaveInteraction_WithNamespaceAndModel_StoresBothAndRegistersTheModel()
    {
        using var logger = new PromptLogger("default", _store.Url);
        logger.SaveInteraction("p", "r", "other", "gpt-4.1");

        logger.ExportTextPrompts(_temp.File("text.jsonl"), "other");
        logger.ExportModels(_temp.File("models.jsonl"), "other");

        var line = Jsonl.Read(_temp.File("text.jsonl")).Single();
        Assert.That(Jsonl.Names(line), Is.EqualTo(new[] { "id", "namespace", "prompt", "response", "inference_on", "model" }));
        Assert.That(line.GetProperty("model").GetString(), Is.EqualTo("gpt-4.1"));
        var model = Jsonl.Read(_temp.File("models.jsonl")).Single();
        Assert.That(Jsonl.Names(model), Is.EqualTo(new[] { "id", "namespace", "name", "created" }));
        Assert.That(model.GetProperty("name").GetString(), Is.EqualTo("gpt-4.1"));
        Assert.That(model.GetProperty("namespace").GetString(), Is.EqualTo("other"));
    }

    [Test]
    public void SaveInteraction_WithNullPrompt_ThrowsArgumentNullException()
    {
        using var logger = new PromptLogger("default", _store.Url);

        Assert.That(() => logger.SaveInteraction(null!, "r"), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("prompt"));
        Assert.That(() => logger.SaveInteraction("p", null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("response"));
    }

    [Test]
    public void Capture_OfASyncFunction_ReturnsItsResultAndRecordsPromptResponseAndDuration()
    {
        using var logger = new PromptLogger("ns", _store.Url);
        var generate = logger.Capture(prompt =>
        {
            Thread.Sleep(20);
            return prompt.ToUpperInvariant();
        });

        var result = generate("hello");

        Assert.That(result, Is.EqualTo("HELLO"));
        logger.ExportTextPrompts(_temp.File("out.jsonl"), "ns");
        var line = Jsonl.Read(_temp.File("out.jsonl")).Single();
        Assert.That(line.GetProperty("prompt").GetString(), Is.EqualTo("hello"));
        Assert.That(line.GetProperty("response").GetString(), Is.EqualTo("HELLO"));
        Assert.That(line.GetProperty("inference_seconds").GetDouble(), Is.GreaterThanOrEqualTo(0.015).And.LessThan(10));
        Assert.That(line.TryGetProperty("error", out _), Is.False);
    }

    [Test]
    public void Capture_WhenTheSyncFunctionThrows_RethrowsTheSameExceptionAndRecordsTheError()
    {
        using var logger = new PromptLogger("ns", _store.Url);
        var original = new InvalidOperationException("model unavailable");
        var generate = logger.Capture(new Func<string, string>(_ => throw original));

        var thrown = Assert.Throws<InvalidOperationException>(() => generate("hello"));

        Assert.That(thrown, Is.SameAs(original));
        Assert.That(thrown!.StackTrace, Does.Contain(nameof(Capture_WhenTheSyncFunctionThrows_RethrowsTheSameExceptionAndRecordsTheError)));
        logger.ExportTextPrompts(_temp.File("out.jsonl"), "ns");
        var line = Jsonl.Read(_temp.File("out.jsonl")).Single();
        Assert.That(line.GetProperty("prompt").GetString(), Is.EqualTo("hello"));
        Assert.That(line.TryGetProperty("response", out _), Is.False);
        Assert.That(line.GetProperty("error").GetString(), Is.EqualTo("System.InvalidOperationException: model unavailable"));
    }

    [Test]
    public async Task Capture_OfAnAsyncFunction_ReturnsItsResultAndRecordsIt()
    {
        await using var logger = new PromptLogger("ns", _store.Url);
        var generate = logger.Capture(async prompt =>
        {
            await Task.Delay(20);
            return "answer to " + prompt;
        });

        var result = await generate("question");

        Assert.That(result, Is.EqualTo("answer to question"));
        logger.ExportTextPrompts(_temp.File("out.jsonl"), "ns");
        var line = Jsonl.Read(_temp.File("out.jsonl")).Single();
        Assert.That(line.GetProperty("response").GetString(), Is.EqualTo("answer to question"));
        Assert.That(line.GetProperty("inference_seconds").GetDouble(), Is.GreaterThanOrEqualTo(0.015));
    }

    [Test]
    public async Task Capture_WhenTheAsyncFunctionIsCancelled_RethrowsTheSameCancellationAndRecordsIt()
    {
        await using var logger = new PromptLogger("ns", _store.Url);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        OperationCanceledException? original = null;
        var generate = logger.Capture(async _ =>
        {
            await Task.Yield();
            original = new OperationCanceledException(cts.Token);
            throw original;
#pragma warning disable CS0162 // the lambda must be typed as returning a string
            return string.Empty;
#pragma warning restore CS0162
        });

        var thrown = Assert.ThrowsAsync<OperationCanceledException>(() => generate("q"));

        Assert.That(thrown, Is.SameAs(original));
        logger.ExportTextPrompts(_temp.File("out.jsonl"), "ns");
        var line = Jsonl.Read(_temp.File("out.jsonl")).Single();
        Assert.That(line.GetProperty("error").GetString(), Does.StartWith("System.OperationCanceledException: "));
    }

    [Test]
    public void SaveInteraction_KeepsUnicodeNewlinesQuotesAndMegabytePromptsExactly()
    {
        using var logger = new PromptLogger("ns", _store.Url);
        var texts = new[]
        {
            "héllo wörld — 你好 🌍 \u0000 nul",
            "line one\nline two\r\nline three\ttab",
            "quotes \" and 'single' and \\ backslash and </script>",
            new string('x', 1024 * 1024) + "end",
        };
        foreach (var text in texts)
        {
            logger.SaveInteraction(text, text + "!");
        }

        logger.ExportTextPrompts(_temp.File("out.jsonl"), "ns");

        var lines = Jsonl.Read(_temp.File("out.jsonl"));
        if (kind == StoreKind.PostgreSql)
        {
            // PostgreSQL text cannot hold NUL: it is stored as U+FFFD rather than failing the batch.
            texts[0] = texts[0].Replace('\0', '\uFFFD');
        }

        Assert.That(lines.Select(l => l.GetProperty("prompt").GetString()), Is.EqualTo(texts));
        Assert.That(lines.Select(l => l.GetProperty("response").GetString()), Is.EqualTo(texts.Select(t => t + "!")));
        var firstLine = File.ReadLines(_temp.File("out.jsonl")).First();
        Assert.That(firstLine, Does.Contain("héllo wörld — 你好"), "non-ASCII text is written as UTF-8, not \\u-escaped");
    }

    [Test]
    public void ExportTextPrompts_OnlyTakesTheNamespaceAndModelsAsked()
    {
        using var logger = new PromptLogger("a", _store.Url);
        logger.SaveInteraction("a1", "r", model: "m1");
        logger.SaveInteraction("a2", "r", model: "m2");
        logger.SaveInteraction("a3", "r", model: "m3");
        logger.SaveInteraction("b1", "r", "b", "m1");

        Assert.That(Prompts(logger, "a", null), Is.EqualTo(new[] { "a1", "a2", "a3" }));
        Assert.That(Prompts(logger, "b", null), Is.EqualTo(new[] { "b1" }));
        Assert.That(Prompts(logger, "a", ["m2"]), Is.EqualTo(new[] { "a2" }));
        Assert.That(Prompts(logger, "a", ["m1", "m3"]), Is.EqualTo(new[] { "a1", "a3" }));
        Assert.That(Prompts(logger, "a", ["all"]), Is.EqualTo(new[] { "a1", "a2", "a3" }));
        Assert.That(Prompts(logger, "a", ["none-such"]), Is.Empty);
        Assert.That(Prompts(logger, "c", null), Is.Empty);
    }

    private string?[] Prompts(PromptLogger logger, string @namespace, string[]? models)
    {
        var path = _temp.File(Guid.NewGuid().ToString("N") + ".jsonl");
        logger.ExportTextPrompts(path, @namespace, models);
        return Jsonl.Read(path).Select(l => l.GetProperty("prompt").GetString()).ToArray();
    }
}
