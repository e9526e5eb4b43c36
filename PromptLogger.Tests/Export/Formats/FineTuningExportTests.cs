using System.Text.Json;
using Dapper;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Export.Formats;

/// <summary><c>export prompts --format openai-ft</c> on either store: OpenAI chat fine-tuning examples.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class FineTuningExportTests(StoreKind kind)
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
    public void EveryLine_IsAFineTuningExampleEndingWithTheReply_FailedAndEmptyOnesLeftOutAndCounted()
    {
        StoredRecords.Store(_store.Url, FormatRecords.All());
        var output = _store.Temp.File("train.jsonl");

        var result = PromptLoggerCommand.Run("export", "prompts", output, "--format", "openai-ft", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var examples = Jsonl.Read(output);
        Assert.That(examples, Has.Count.EqualTo(3), "plain, tool-call reply, tool round trip; not the failed one nor the empty reply");
        foreach (var example in examples)
        {
            FineTuningShape.AssertValid(example);
        }

        Assert.That(result.ErrorLines, Is.EqualTo(new[]
        {
            $"Exported 3 prompts as openai-ft to {output}",
            "Left out 2 records that failed or have no reply (a fine-tuning example ends with the recorded reply).",
        }));
    }

    [Test]
    public void Examples_KeepTheRequestMessagesAndEndWithTheRecordedReply()
    {
        StoredRecords.Store(_store.Url, FormatRecords.Plain("What is 2+2?", "4"), FormatRecords.ToolCallReply(), FormatRecords.ToolRoundTrip());

        var result = PromptLoggerCommand.Run("export", "prompts", "-", "--format", "openai-ft", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.DataText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo(
            """{"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is 2+2?"},{"role":"assistant","content":"4"}]}"""));
        Assert.That(lines[1], Is.EqualTo(
            """{"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Weather in Paris?"},""" +
            """{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]}],""" +
            $"\"tools\":{FormatRecords.Weather},\"parallel_tool_calls\":false}}"));
        // The developer message is kept; the request's tool call, stored with its arguments as an object and no type,
        // is sent as the API takes it.
        Assert.That(lines[2], Is.EqualTo(
            """{"messages":[{"role":"developer","content":"Answer briefly."},{"role":"user","content":"Weather in Oslo?"},""" +
            """{"role":"assistant","tool_calls":[{"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},""" +
            """{"role":"tool","tool_call_id":"call_9","content":"{\"temp\":3}"},{"role":"assistant","content":"3 °C in Oslo."}],""" +
            $"\"tools\":{FormatRecords.Weather}}}"));
    }

    [Test]
    public void Dedupe_DropsExactDuplicateExamples_AndSaysHowMany()
    {
        StoredRecords.Store(_store.Url, FormatRecords.Plain("same", "answer"), FormatRecords.Plain("same", "answer"), FormatRecords.Plain("same", "other answer"));

        var all = PromptLoggerCommand.Run("export", "prompts", "-", "--format", "openai-ft", "-d", _store.Url);
        var deduped = PromptLoggerCommand.Run("export", "prompts", "-", "--format", "openai-ft", "--dedupe", "-d", _store.Url);

        Assert.That(all.ExitCode, Is.Zero, all.ToString());
        Assert.That(Jsonl.Parse(all.Data), Has.Count.EqualTo(3));
        Assert.That(deduped.ExitCode, Is.Zero, deduped.ToString());
        var kept = Jsonl.Parse(deduped.Data);
        Assert.That(kept.Select(e => e.GetProperty("messages")[2].GetProperty("content").GetString()), Is.EqualTo(new[] { "answer", "other answer" }));
        Assert.That(deduped.ErrorLines, Does.Contain("Dropped 1 duplicate example (--dedupe)."));
    }

    [Test]
    public void Filters_SelectTheRecords()
    {
        StoredRecords.Store(_store.Url, FormatRecords.Plain("to 4.1", "a", "gpt-4.1"), FormatRecords.Plain("to mini", "b", "gpt-4.1-mini"),
            FormatRecords.Plain("tagged", "c") with { Tags = StoredRecords.JsonBytes(new[] { "keep" }) });

        var byModel = PromptLoggerCommand.Run("export", "prompts", "-", "--format", "openai-ft", "-m", "gpt-4.1-mini", "-d", _store.Url);
        var byTag = PromptLoggerCommand.Run("export", "prompts", "-", "--format", "openai-ft", "--tag", "keep", "-d", _store.Url);

        Assert.That(Jsonl.Parse(byModel.Data).Select(e => e.GetProperty("messages")[1].GetProperty("content").GetString()), Is.EqualTo(new[] { "to mini" }));
        Assert.That(Jsonl.Parse(byTag.Data).Select(e => e.GetProperty("messages")[1].GetProperty("content").GetString()), Is.EqualTo(new[] { "tagged" }));
    }

    [Test]
    public void StoredMessagesThatAreNotJson_LeaveTheRecordOutAndAreReported_EveryLineStaysOneObject()
    {
        var broken = FormatRecords.Plain("broken");
        StoredRecords.Store(_store.Url, broken, FormatRecords.Plain("fine"));
        using (var connection = _store.Open())
        {
            connection.Execute(
                "UPDATE prompts SET messages = @value WHERE id = @id",
                new { id = broken.Id, value = "[{\"role\":\"user\",\"content\":\"hi\"}]}\n{\"messages\":[{\"role\":\"user\",\"content\":\"planted\"}]}" });
        }

        var result = PromptLoggerCommand.Run("export", "prompts", "-", "--format", "openai-ft", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var examples = Jsonl.Parse(result.Data);
        Assert.That(examples.Select(e => e.GetProperty("messages")[1].GetProperty("content").GetString()), Is.EqualTo(new[] { "fine" }));
        Assert.That(result.Error, Does.Contain("1 stored JSON value was not valid JSON"));
        Assert.That(result.Error, Does.Contain("Left out 1 record"));
    }

    [Test]
    public void Library_WritesTheSameExamplesAsTheCommand()
    {
        var library = _store.Temp.File("library.jsonl");
        using (var logger = new PromptLogger("default", _store.Url))
        {
            logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "What is 2+2?", "4"));
            Assert.That(logger.ExportChatPrompts(library, format: ExportFormat.OpenAIFineTuning), Is.EqualTo(1));
        }

        var command = PromptLoggerCommand.Run("export", "prompts", _store.Temp.File("command.jsonl"), "--format", "openai-ft", "-d", _store.Url);

        Assert.That(command.ExitCode, Is.Zero, command.ToString());
        Assert.That(File.ReadAllBytes(library), Is.EqualTo(File.ReadAllBytes(_store.Temp.File("command.jsonl"))));
        FineTuningShape.AssertValid(Jsonl.Read(library).Single());
    }
}
