using System.Text.Json;
using PromptLogging.Export;
using PromptLogging.Export.Formats;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Export.Formats;

/// <summary><c>export prompts --format openai-batch</c> on either store: Batch API input lines, split into parts.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class BatchExportTests(StoreKind kind)
{
    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(kind);

    [TearDown]
    public void TearDown()
    {
        _store?.Dispose();
        _store = null!;
    }

    [Test]
    public void EverySelectedRecord_IsOneChatCompletionsRequest_FailedOnesIncluded()
    {
        var records = FormatRecords.All();
        StoredRecords.Store(_store.Url, records);
        var output = _store.Temp.File("batch.jsonl");

        var result = PromptLoggerCommand.Run("export", "prompts", output, "--format", "openai-batch", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ErrorLines, Is.EqualTo(new[] { $"Exported 5 prompts as openai-batch to {output}" }));
        var lines = Jsonl.Read(output);
        Assert.That(lines.Select(l => l.GetProperty("custom_id").GetString()), Is.EqualTo(records.Select(r => r.Id)), "one request per record, by its id");
        Assert.That(lines.Select(l => l.GetProperty("custom_id").GetString()), Is.Unique);
        foreach (var line in lines)
        {
            Assert.That(Jsonl.Names(line), Is.EqualTo(new[] { "custom_id", "method", "url", "body" }));
            Assert.That(line.GetProperty("method").GetString(), Is.EqualTo("POST"));
            Assert.That(line.GetProperty("url").GetString(), Is.EqualTo("/v1/chat/completions"));
            var body = line.GetProperty("body");
            Assert.That(body.GetProperty("model").GetString(), Is.EqualTo("gpt-4.1"));
            Assert.That(body.GetProperty("max_tokens").GetInt32(), Is.EqualTo(50), "the recorded generation kwargs");
            Assert.That(body.TryGetProperty("stream", out _), Is.False);
            foreach (var message in body.GetProperty("messages").EnumerateArray())
            {
                FineTuningShape.AssertMessage(message);
            }
        }

        var withTools = lines[1].GetProperty("body");
        Assert.That(withTools.GetProperty("tools").GetRawText(), Is.EqualTo(FormatRecords.Weather));
        Assert.That(withTools.GetProperty("parallel_tool_calls").GetBoolean(), Is.False);
        Assert.That(withTools.GetProperty("temperature").GetDouble(), Is.EqualTo(0.2));
        var roundTrip = lines[2].GetProperty("body").GetProperty("messages")[2].GetProperty("tool_calls")[0];
        Assert.That(roundTrip.GetProperty("function").GetProperty("arguments").GetString(), Is.EqualTo("""{"city":"Oslo"}"""), "an object becomes the string the API takes");
        Assert.That(roundTrip.GetProperty("type").GetString(), Is.EqualTo("function"));
    }

    [Test]
    public void AStoredValueThatIsNotJson_IsLeftOutOfItsRequest_EveryLineStaysOneObject()
    {
        var broken = FormatRecords.Plain("broken");
        StoredRecords.Store(_store.Url, broken, FormatRecords.Plain("fine"));
        using (var connection = _store.Open())
        {
            Dapper.SqlMapper.Execute(connection, "UPDATE prompts SET generation_kwargs = @value WHERE id = @id",
                new { id = broken.Id, value = "{\"max_tokens\":5}}\n{\"custom_id\":\"INJECTED\"}" });
        }

        var result = PromptLoggerCommand.Run("export", "prompts", "-", "--format", "openai-batch", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = Jsonl.Parse(result.Data);
        Assert.That(lines.Select(l => l.GetProperty("custom_id").GetString()).ToList(), Has.Count.EqualTo(2).And.No.EqualTo("INJECTED"));
        Assert.That(lines[0].GetProperty("body").TryGetProperty("max_tokens", out _), Is.False, "the invalid kwargs are left out");
        Assert.That(lines[0].GetProperty("body").GetProperty("messages")[1].GetProperty("content").GetString(), Is.EqualTo("broken"));
        Assert.That(result.Error, Does.Contain($"(first: generation_kwargs of record {broken.Id})"));
    }

    [Test]
    public void AFileOutput_IsSplitBeforeALineWouldPassTheLineLimit()
    {
        var records = Enumerable.Range(1, 7).Select(i => FormatRecords.Plain($"question {i}")).ToArray();
        StoredRecords.Store(_store.Url, records);
        var output = _store.Temp.File("batch.jsonl");

        var summary = Export(output, new BatchLimits(3, long.MaxValue));

        string[] parts = [output, _store.Temp.File("batch.2.jsonl"), _store.Temp.File("batch.3.jsonl")];
        Assert.That(summary.Count, Is.EqualTo(7));
        Assert.That(summary.Files, Is.EqualTo(parts));
        Assert.That(parts.Select(p => Jsonl.Read(p).Count), Is.EqualTo(new[] { 3, 3, 1 }));
        var ids = parts.SelectMany(p => Jsonl.Read(p)).Select(l => l.GetProperty("custom_id").GetString()).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Is.EqualTo(records.Select(r => r.Id)));
        Assert.That(File.Exists(_store.Temp.File("batch.4.jsonl")), Is.False);
    }

    [Test]
    public void AFileOutput_IsSplitBeforeALineWouldPassTheByteLimit()
    {
        StoredRecords.Store(_store.Url, [.. Enumerable.Range(1, 5).Select(i => FormatRecords.Plain($"question {i}"))]);
        var output = _store.Temp.File("batch.jsonl");
        Export(_store.Temp.File("whole.jsonl"), BatchLimits.Api);
        var longest = File.ReadAllLines(_store.Temp.File("whole.jsonl")).Max(l => System.Text.Encoding.UTF8.GetByteCount(l) + 1);
        var limit = (long)(longest * 2.5);

        var summary = Export(output, new BatchLimits(50_000, limit));

        Assert.That(summary.Files, Has.Count.EqualTo(3), "two lines a part");
        Assert.That(summary.Files.Select(f => new FileInfo(f).Length), Has.All.LessThanOrEqualTo(limit));
        Assert.That(summary.Files.Sum(f => Jsonl.Read(f).Count), Is.EqualTo(5));
    }

    [Test]
    public void APartLeftByAnEarlierLongerExport_IsNamed()
    {
        StoredRecords.Store(_store.Url, [.. Enumerable.Range(1, 4).Select(i => FormatRecords.Plain($"question {i}"))]);
        var output = _store.Temp.File("batch.jsonl");
        Export(output, new BatchLimits(1, long.MaxValue));

        var summary = Export(output, new BatchLimits(2, long.MaxValue));

        Assert.That(summary.Files, Has.Count.EqualTo(2));
        Assert.That(summary.StalePart, Is.EqualTo(_store.Temp.File("batch.3.jsonl")));
    }

    [Test]
    public void StandardOutput_IsOneStream()
    {
        StoredRecords.Store(_store.Url, [.. Enumerable.Range(1, 4).Select(i => FormatRecords.Plain($"question {i}"))]);
        using var data = new MemoryStream();

        var summary = StoreExport.ToStream(Store(), ExportKind.ChatPrompts, ExportFilter.Create("default", null),
            new FormatOptions(ExportFormat.OpenAIBatch) { BatchLimits = new BatchLimits(1, 1) }, data, null, null, CancellationToken.None);

        Assert.That(summary.Count, Is.EqualTo(4));
        Assert.That(Jsonl.Parse(data.ToArray()), Has.Count.EqualTo(4));
    }

    [Test]
    public void Library_WritesBatchRequests()
    {
        StoredRecords.Store(_store.Url, FormatRecords.Plain());
        var output = _store.Temp.File("library.jsonl");
        using (var logger = new PromptLogger("default", _store.Url))
        {
            Assert.That(logger.ExportChatPrompts(output, format: ExportFormat.OpenAIBatch), Is.EqualTo(1));
        }

        Assert.That(Jsonl.Read(output).Single().GetProperty("url").GetString(), Is.EqualTo("/v1/chat/completions"));
    }

    private PromptStore Store() => PromptStore.Create(DatabaseUrl.Parse(_store.Url));

    private ExportSummary Export(string output, BatchLimits limits) =>
        StoreExport.WriteFile(Store(), ExportKind.ChatPrompts, ExportFilter.Create("default", null),
            new FormatOptions(ExportFormat.OpenAIBatch) { BatchLimits = limits }, output, null, null, CancellationToken.None);
}
