using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Writing;

/// <summary>
/// A spool file whose JSON columns hide a second record, replayed by a real logger into a real SQLite file and
/// exported: one record is one line, and the hidden record exists nowhere.
/// </summary>
[TestFixture]
public sealed class SpoolJsonTests
{
    private const string Namespace = "ns";

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void ASpooledRecord_CarriesWhatAnsweredAndHowItsStreamEnded()
    {
        var spool = new PromptLogging.Writing.Spool(_temp.File("prompts.db"));
        spool.Append([new PromptLogging.Storage.PromptRecord
        {
            Id = "00000000-0000-7000-8000-000000000003",
            Namespace = Namespace,
            Kind = PromptLogging.Storage.PromptRecord.ChatKind,
            Model = "alias-model",
            Stream = true,
            InferenceOn = 1745360143.533253,
            ResponseModel = "alias-model-2025-01-01",
            ResponseId = "chatcmpl-42",
            SystemFingerprint = "fp_1",
            StreamEnd = "abandoned",
        }]);

        var read = PromptLogging.Writing.Spool.Read(spool.OwnFile, 10).Single().Single();

        Assert.That(File.ReadAllText(spool.OwnFile), Does.Contain("\"response_model\":\"alias-model-2025-01-01\"").And.Contain("\"stream_end\":\"abandoned\""));
        Assert.That((read.ResponseModel, read.ResponseId, read.SystemFingerprint, read.StreamEnd), Is.EqualTo(("alias-model-2025-01-01", "chatcmpl-42", "fp_1", "abandoned")));
    }

    [Test]
    public void ASpooledRecord_CarriesItsContext_WithJsonColumnsAsText()
    {
        var spool = new PromptLogging.Writing.Spool(_temp.File("prompts.db"));
        spool.Append([new PromptLogging.Storage.PromptRecord
        {
            Id = "00000000-0000-7000-8000-000000000004",
            Namespace = Namespace,
            Kind = PromptLogging.Storage.PromptRecord.ChatKind,
            InferenceOn = 1745360143.533253,
            ConversationId = "c-1",
            UserId = "u-1",
            Metadata = """{"k":"v é"}"""u8.ToArray(),
            Tags = """["a"]"""u8.ToArray(),
            ReplayOf = "00000000-0000-7000-8000-000000000001",
            CachedInputTokens = 3,
            ReasoningTokens = 2,
            ThreadKey = -1234567890123456789,
        }]);

        var read = PromptLogging.Writing.Spool.Read(spool.OwnFile, 10).Single().Single();

        Assert.That(File.ReadAllText(spool.OwnFile), Does.Contain("\"metadata\":\"{\\\"k\\\":\\\"v é\\\"}\"").And.Contain("\"tags\":\"[\\\"a\\\"]\""),
            "JSON columns are spooled as JSON strings, as spool files always held them");
        Assert.That((read.ConversationId, read.UserId, read.ReplayOf, read.CachedInputTokens, read.ReasoningTokens, read.ThreadKey),
            Is.EqualTo(("c-1", "u-1", "00000000-0000-7000-8000-000000000001", (long?)3, (long?)2, (long?)-1234567890123456789)));
        Assert.That(System.Text.Encoding.UTF8.GetString(read.Metadata!), Is.EqualTo("""{"k":"v é"}"""));
    }

    [Test]
    public void ASpooledMetadataThatIsNotAnObject_IsRefused()
    {
        var spool = new PromptLogging.Writing.Spool(_temp.File("prompts.db"));
        File.WriteAllText(spool.OwnFile,
            """{"id":"00000000-0000-7000-8000-000000000005","namespace":"ns","kind":"chat","inference_on":1.0,"metadata":"[1]"}""" + "\n" +
            """{"id":"00000000-0000-7000-8000-000000000006","namespace":"ns","kind":"chat","inference_on":1.0,"metadata":"{\"k\":\"v\"}"}""" + "\n");
        var skipped = new List<long>();

        var read = PromptLogging.Writing.Spool.Read(spool.OwnFile, 10, skipped.Add).SelectMany(b => b).ToList();

        Assert.That(read.Select(r => r.Id), Is.EqualTo(new[] { "00000000-0000-7000-8000-000000000006" }));
        Assert.That(skipped, Is.EqualTo(new[] { 1L }));
    }

    [TestCase("messages")]
    [TestCase("tools")]
    [TestCase("generation_kwargs")]
    [TestCase("completions")]
    [TestCase("tags")]
    public void AReplayedLineWhoseJsonColumnHidesASecondRecord_IsRefused_AndTheExportHasOneLineARecord(string column)
    {
        var url = _temp.DatabaseUrl();
        SampleDatabase.Create(url, logger => logger.SaveInteraction("first", "r"), Namespace);
        HostileSpool.Write(_temp.File("prompts.db"), Namespace, column, HostileSpool.Values[column]);
        var chat = _temp.File("chat.jsonl");
        var text = _temp.File("text.jsonl");

        using (var logger = new PromptLogger(Namespace, url))
        {
            logger.Flush();
        }

        using (var logger = new PromptLogger(Namespace, url))
        {
            Assert.That(logger.ExportChatPrompts(chat), Is.Zero);
            Assert.That(logger.ExportTextPrompts(text), Is.EqualTo(3));
        }

        Assert.That(File.ReadAllText(chat) + File.ReadAllText(text), Does.Not.Contain(HostileSpool.InjectedId));
        Assert.That(Jsonl.Read(text).Select(l => l.GetProperty("prompt").GetString()), Is.EqualTo(new[] { "first", "good before 0", "good after 0" }));
        Assert.That(Directory.GetFiles(_temp.Path, "*.spool-*"), Is.Empty, "replayed, refused line included");
    }
}
