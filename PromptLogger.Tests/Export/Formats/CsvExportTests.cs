using System.Text;
using System.Text.Json;
using CsvHelper;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Export.Formats;

/// <summary>
/// <c>export prompts --format csv</c> on either store, read back with CsvHelper's reader: the same values as the seed
/// export's lines, hostile text (commas, quotes, line breaks, formula prefixes) included.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class CsvExportTests(StoreKind kind)
{
    private static readonly string[] UsageFields = ["input_tokens", "output_tokens", "cached_input_tokens", "reasoning_tokens"];

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
    public void ReadBack_GivesTheValuesOfTheSeedExport_ContextFieldsAndHostileTextIncluded()
    {
        StoredRecords.Store(_store.Url, [.. FormatRecords.All(), FormatRecords.HostileText() with
        {
            ReplayOf = "0190-original",
            CachedInputTokens = 5,
            Stream = true,
            TimeToFirstTokenSeconds = 0.25,
            ResponseModel = "gpt-4.1-2025-04-14",
        }]);
        var csvPath = _store.Temp.File("prompts.csv");

        var csv = PromptLoggerCommand.Run("export", "prompts", csvPath, "--format", "csv", "-d", _store.Url);
        var seed = PromptLoggerCommand.Run("export", "prompts", "-", "-d", _store.Url);

        Assert.That(csv.ExitCode, Is.Zero, csv.ToString());
        Assert.That(csv.ErrorLines, Is.EqualTo(new[] { $"Exported 6 prompts as csv to {csvPath}" }));
        var (header, rows) = ReadCsv(csvPath);
        Assert.That(header, Is.EqualTo(PromptColumns.ChatExport.Select(c => c.Name).Append("estimated_cost_usd")),
            "the seed's fields in its order, usage counts as columns of their own, the cost last as in the JSONL lines");
        Assert.That(header, Is.SupersetOf(new[] { "conversation_id", "user_id", "tags", "metadata", "replay_of", "response_model" }));
        var lines = Jsonl.Parse(seed.Data);
        Assert.That(rows, Has.Count.EqualTo(lines.Count));
        for (var i = 0; i < rows.Count; i++)
        {
            for (var column = 0; column < header.Length; column++)
            {
                Assert.That(rows[i][column], Is.EqualTo(SeedValue(lines[i], header[column])), $"row {i + 1}, {header[column]}");
            }
        }

        var hostile = rows[^1];
        Assert.That(hostile[Array.IndexOf(header, "error")], Is.EqualTo(FormatRecords.Hostile), "a formula-like cell is kept as stored, not prefixed");
        Assert.That(hostile[Array.IndexOf(header, "user_id")], Is.EqualTo("@user,1"));
        Assert.That(hostile[Array.IndexOf(header, "stream")], Is.EqualTo("true"));
        Assert.That(rows[0][^1], Is.Not.Empty, "gpt-4.1 is priced");
    }

    [Test]
    public void TheFile_IsRfc4180()
    {
        StoredRecords.Store(_store.Url, FormatRecords.HostileText());
        var csvPath = _store.Temp.File("prompts.csv");

        var result = PromptLoggerCommand.Run("export", "prompts", csvPath, "--format", "csv", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var text = File.ReadAllText(csvPath, new UTF8Encoding(false, throwOnInvalidBytes: true));
        Assert.That(File.ReadAllBytes(csvPath).Take(3), Is.Not.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "no byte order mark");
        Assert.That(text, Does.StartWith("id,namespace,model,messages,"));
        Assert.That(text, Does.EndWith("\r\n"), "records end with CRLF");
        Assert.That(text, Does.Contain("\"=cmd|' /C calc'!A0, \"\"quoted\"\", a\r\nline break; naïve — 日本\""), "a field with a comma, quotes or a line break is quoted, quotes doubled");
    }

    [Test]
    public void AStoredValueThatIsNotJson_IsAnEmptyCellAndReported()
    {
        var broken = FormatRecords.Plain("broken");
        StoredRecords.Store(_store.Url, broken, FormatRecords.Plain("fine"));
        using (var connection = _store.Open())
        {
            Dapper.SqlMapper.Execute(connection, "UPDATE prompts SET tools = @value WHERE id = @id", new { id = broken.Id, value = "[{\"type\":\"function\"}]}\n{\"planted\":1}" });
        }

        var path = _store.Temp.File("prompts.csv");
        var result = PromptLoggerCommand.Run("export", "prompts", path, "--format", "csv", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var (header, rows) = ReadCsv(path);
        Assert.That(rows, Has.Count.EqualTo(2), "one row per record");
        Assert.That(rows[0][Array.IndexOf(header, "tools")], Is.Empty);
        Assert.That(rows[0][Array.IndexOf(header, "messages")], Does.Contain("broken"), "the rest of the record is kept");
        Assert.That(result.Error, Does.Contain($"1 stored JSON value was not valid JSON and left out of the export (first: tools of record {broken.Id})"));
    }

    [Test]
    public void TextPrompts_ExportAsCsvToo()
    {
        using (var logger = new PromptLogger("default", _store.Url))
        {
            logger.SaveInteraction("What, \"exactly\"?\nThis.", "=1+1", model: "gpt-4.1");
        }

        var csv = PromptLoggerCommand.Run("export", "prompts", "-", "--type", "text", "--format", "csv", "-d", _store.Url);
        var seed = PromptLoggerCommand.Run("export", "prompts", "-", "--type", "text", "-d", _store.Url);

        Assert.That(csv.ExitCode, Is.Zero, csv.ToString());
        var path = _store.Temp.File("text.csv");
        File.WriteAllBytes(path, csv.Data);
        var (header, rows) = ReadCsv(path);
        Assert.That(header.Take(4), Is.EqualTo(new[] { "id", "namespace", "prompt", "response" }));
        var line = Jsonl.Parse(seed.Data).Single();
        for (var column = 0; column < header.Length; column++)
        {
            Assert.That(rows.Single()[column], Is.EqualTo(SeedValue(line, header[column])), header[column]);
        }
    }

    [Test]
    public void Library_WritesTheSameFileAsTheCommand()
    {
        StoredRecords.Store(_store.Url, FormatRecords.All());
        var library = _store.Temp.File("library.csv");
        using (var logger = new PromptLogger("default", _store.Url))
        {
            Assert.That(logger.ExportChatPrompts(library, format: ExportFormat.Csv), Is.EqualTo(5));
        }

        var command = PromptLoggerCommand.Run("export", "prompts", "-", "--format", "csv", "-d", _store.Url);

        Assert.That(File.ReadAllBytes(library), Is.EqualTo(command.Data));
    }

    /// <summary>What a CSV cell of <paramref name="field"/> should hold: the seed line's value as text, empty when left out.</summary>
    private static string SeedValue(JsonElement line, string field)
    {
        if (UsageFields.Contains(field))
        {
            return line.TryGetProperty("usage", out var usage) && usage.TryGetProperty(field, out var count) ? count.GetRawText() : string.Empty;
        }

        if (!line.TryGetProperty(field, out var value))
        {
            return string.Empty;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.True => "true",
            _ => value.GetRawText(),
        };
    }

    private static (string[] Header, List<string[]> Rows) ReadCsv(string path)
    {
        var options = new CsvReaderOptions
        {
            Separator = ',',
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
        };
        using var reader = CsvReader.Create(File.ReadAllBytes(path), options);
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
        }

        return ([.. reader.Headers], rows);
    }
}
