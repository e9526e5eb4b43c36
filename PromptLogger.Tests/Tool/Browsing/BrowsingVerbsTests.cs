using System.Text.Json;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool.Browsing;

/// <summary>
/// list, show, namespaces, models and the shared selection flags, through the real command on both stores, with
/// records stored by the real inserter.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class BrowsingVerbsTests(StoreKind kind)
{
    // 2026-01-10 12:00:00 UTC, then one record an hour.
    private const double Start = 1_768_046_400;

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
    public void List_ShowsTheNewestTwentyNewestFirst_OneLineEach()
    {
        StoreHourly(25);

        var result = Run("list");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(20));
        Assert.That(lines[0], Does.StartWith("2026-01-11 12:00:00  00000018  default  gpt-4.1").And.Contain("gpt-4.1").And.Contain("question 24 → answer 24"));
        Assert.That(lines[19], Does.Contain("question 5 →"));
        Assert.That(lines[0], Does.Contain("12→7").And.Contain("$0.0000"), "tokens in→out and the estimated cost");
        Assert.That(lines, Has.All.Length.LessThanOrEqualTo(160));
    }

    [Test]
    public void List_Limit_Json_AreTheExportsLinesNewestFirstWithTheirCost()
    {
        StoreHourly(5);

        var result = Run("list", "--limit", "2", "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = ToolResult.ParseJsonl(result.DataText);
        Assert.That(lines.Select(l => (string?)l["id"]), Is.EqualTo(new[] { Id(4), Id(3) }));
        Assert.That(lines[0]["messages"]!.ToJsonString(), Does.Contain("question 4"));
        Assert.That((decimal?)lines[0]["estimated_cost_usd"], Is.GreaterThan(0m));
        Assert.That(Jsonl.Names(JsonDocument.Parse(lines[0].ToJsonString()).RootElement).Last(), Is.EqualTo("estimated_cost_usd"));
    }

    [Test]
    public void Filters_SinceUntilModelsErrorsNamespacesAndType_SelectTheSameOnListAndExport()
    {
        StoreHourly(10);
        StoredRecords.Store(_store.Url,
            Record(20, "other-ns") with { },
            Record(21) with { Model = "claude-sonnet-4", Error = "boom" });

        Assert.That(ExportedIds("--since", "2026-01-10T15:00", "--until", "2026-01-10T17:00Z"), Is.EqualTo(new[] { Id(3), Id(4) }));
        Assert.That(ExportedIds("--since", "2026-01-10T17:00+02:00", "--until", "2026-01-10T16:00"), Is.EqualTo(new[] { Id(3) }), "an offset is honoured");
        Assert.That(ExportedIds("-m", "claude-sonnet-4", "-m", "nothing"), Is.EqualTo(new[] { Id(21) }), "-m repeated takes both");
        Assert.That(ExportedIds("--errors"), Is.EqualTo(new[] { Id(21) }));
        Assert.That(ExportedIds("--no-errors"), Has.Count.EqualTo(10));
        Assert.That(ExportedIds("--all-namespaces", "--since", "2026-01-11"), Is.EqualTo(new[] { Id(20), Id(21) }));
        Assert.That(ExportedIds("--type", "text"), Is.Empty);
        Assert.That(ListedIds("--since", "2026-01-10T15:00", "--until", "2026-01-10T17:00"), Is.EqualTo(new[] { Id(4), Id(3) }));
        Assert.That(ListedIds("--errors", "--all-namespaces"), Is.EqualTo(new[] { Id(21) }));
    }

    [Test]
    public void Since_Relative_CountsBackFromNow()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        StoredRecords.Store(_store.Url, Record(0) with { InferenceOn = now - 3 * 3600 }, Record(1) with { InferenceOn = now - 600 });

        Assert.That(ExportedIds("--since", "90m"), Is.EqualTo(new[] { Id(1) }));
        Assert.That(ExportedIds("--since", "1d"), Has.Count.EqualTo(2));
        Assert.That(ExportedIds("--until", "1h"), Is.EqualTo(new[] { Id(0) }));
    }

    [TestCase("--since", "yesterday", "--since 'yesterday' is not a time")]
    [TestCase("--until", "2026-13-01", "--until '2026-13-01' is not a time")]
    public void Since_Unreadable_IsAOneLineUsageError(string flag, string value, string reason)
    {
        var result = Run("list", flag, value);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.StartWith("prompt-logger: error: " + reason).And.EndWith("(see prompt-logger list --help)"));
    }

    [Test]
    public void Since_AfterUntil_IsAUsageErrorAndNothingIsWritten()
    {
        var output = _store.Temp.File("out.jsonl");

        var result = Run("export", "prompts", output, "--since", "2026-02-01", "--until", "2026-01-01");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.Contain("is not before --until"));
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void Show_AUniquePrefix_ShowsTheRecordInFull()
    {
        StoredRecords.Store(_store.Url, Record(1) with
        {
            ConversationId = "c-42",
            UserId = "u-7",
            Tags = StoredRecords.JsonBytes(new[] { "checkout" }),
            InferenceSeconds = 1.5,
        });

        var result = Run("show", Id(1)[..12].ToUpperInvariant());

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Out, Does.Contain("id           " + Id(1))
            .And.Contain("model        gpt-4.1")
            .And.Contain("usage        12 in, 7 out")
            .And.Contain("cost         $0.0000")
            .And.Contain("conversation c-42")
            .And.Contain("user         u-7")
            .And.Contain("tags         checkout")
            .And.Contain("── user ──\nquestion 1\n")
            .And.Contain("── reply; finish: stop ──\nanswer 1\n"));
    }

    [Test]
    public void Show_Json_IsTheExportLine()
    {
        StoredRecords.Store(_store.Url, Record(1));

        var result = Run("show", Id(1), "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That((string?)ToolResult.ParseJsonl(result.DataText).Single()["id"], Is.EqualTo(Id(1)));
    }

    [Test]
    public void Show_AnAmbiguousPrefix_ExitsTwoListingTheCandidates_AndAnUnknownOneExitsOne()
    {
        StoreHourly(3);

        var ambiguous = Run("show", "000000");
        var missing = Run("show", "ffff");

        Assert.That(ambiguous.ExitCode, Is.EqualTo(2), ambiguous.ToString());
        Assert.That(ambiguous.ErrorLines[0], Does.Contain("matches 3 records"));
        Assert.That(ambiguous.Error, Does.Contain(Id(0)).And.Contain(Id(2)));
        Assert.That(missing.ExitCode, Is.EqualTo(1), missing.ToString());
        Assert.That(missing.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(missing.Error, Does.Contain("no record has an id starting with 'ffff'"));
    }

    [Test]
    public void HostileText_NeverReachesTheTerminalRaw()
    {
        const string hostile = "\u001b]0;owned\u0007\u001b[2J[red]x[/]\u202egnp.exe\r\u0085fake\u2028line";
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", hostile, hostile) with { Id = Id(1), InferenceOn = Start, ConversationId = hostile });

        var list = Run("list");
        var show = Run("show", Id(1));

        foreach (var output in new[] { list.Out, show.Out })
        {
            foreach (var raw in new[] { '\u001b', '\u0007', '\u202e', '\r', '\u0085', '\u2028' })
            {
                Assert.That(output.Contains(raw, StringComparison.Ordinal), Is.False, $"U+{(int)raw:X4} reached the output raw");
            }

            Assert.That(output, Does.Contain("\\x1B]0;owned\\x07").And.Contain("\\u{202E}gnp.exe").And.Contain("[red]x[/]"));
        }

        Assert.That(list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), "one line, whatever the text holds");
    }

    [Test]
    public void Prices_AUserFile_PricesAModelTheBuiltInTableDoesNotKnow_InListShowAndExport()
    {
        StoredRecords.Store(_store.Url, Record(1) with { Model = "my-deployment", InputTokens = 1_000_000, OutputTokens = 1_000_000 });
        var prices = _store.Temp.File("prices.json");
        File.WriteAllText(prices, """{ "models": [ { "model": "my-deployment", "input": 3, "output": 12 } ] }""");

        Assert.That(Run("list").Out, Does.Contain("  -  question 1"), "no price known: no cost, never $0");
        Assert.That(Run("list", "--prices", prices).Out, Does.Contain("  $15.0000  question 1"));
        Assert.That(Run("show", Id(1), "--prices", prices).Out, Does.Contain("cost         $15.0000"));
        Assert.That(Run("show", Id(1)).Out, Does.Contain("cost         unknown (no price for this model)"));
        var export = Run("export", "prompts", "-", "--prices", prices);
        Assert.That((decimal?)ToolResult.ParseJsonl(export.DataText).Single()["estimated_cost_usd"], Is.EqualTo(15m));
        Assert.That(ToolResult.ParseJsonl(Run("export", "prompts", "-").DataText).Single().ContainsKey("estimated_cost_usd"), Is.False);
    }

    [Test]
    public void OnATerminalWithColours_RecordTextIsStillEscaped_AndNeverReadAsMarkup()
    {
        const string hostile = "[red]x[/] [link=http://evil]y[/] \u001b[2J";
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", hostile, hostile) with { Id = Id(1), InferenceOn = Start });
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var console = new PromptLogging.Tool.ToolConsole(stdout, stderr, new MemoryStream()) { IsTerminal = true, Colors = true, Width = 200 };

        var list = PromptLogging.Tool.Program.Run(["list", "-d", _store.Url], console, null);
        var show = PromptLogging.Tool.Program.Run(["show", Id(1), "-d", _store.Url], console, null);

        Assert.That((list, show), Is.EqualTo((0, 0)), stderr.ToString());
        var output = stdout.ToString();
        Assert.That(output.Contains("\u001b[", StringComparison.Ordinal), Is.True, "coloured");
        Assert.That(output, Does.Contain("[red]x[/] [link=http://evil]y[/] \\x1B[2J"), "the text as recorded, escaped, not markup");
        // Ordinal: a culture-aware comparison ignores the escape character itself.
        Assert.That(output.Contains("\u001b[2J", StringComparison.Ordinal), Is.False, "no raw sequence");
        Assert.That(output.Contains("\u001b]8;", StringComparison.Ordinal), Is.False, "no hyperlink");
    }

    [Test]
    public void NamespacesAndModels_TellWhatTheDatabaseHolds()
    {
        StoreHourly(3);
        StoredRecords.Store(_store.Url, Record(10, "other") with { Model = "claude-sonnet-4" });

        var namespaces = Run("namespaces");
        var models = Run("models", "--all-namespaces", "--json");

        Assert.That(namespaces.ExitCode, Is.Zero, namespaces.ToString());
        Assert.That(namespaces.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "namespace\tprompts\tfirst use\tlast use",
            "default\t3\t2026-01-10 12:00:00\t2026-01-10 14:00:00",
            "other\t1\t2026-01-10 22:00:00\t2026-01-10 22:00:00",
        }));
        var lines = ToolResult.ParseJsonl(models.DataText);
        Assert.That(lines.Select(l => $"{l["namespace"]}/{l["model"]}/{l["prompts"]}"), Is.EqualTo(new[] { "default/gpt-4.1/3", "other/claude-sonnet-4/1" }));
        Assert.That((double?)lines[0]["first_use"], Is.EqualTo(Start));
    }

    [Test]
    public void ExportMatchingNothing_SaysWhatTheDatabaseHolds_AndExitsZero()
    {
        StoreHourly(1);

        var result = Run("export", "prompts", "-", "-n", "typo");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Error, Does.Contain("Exported 0 prompts")
            .And.Contain("nothing matched in namespace 'typo'; the database holds namespaces: default; models: gpt-4.1."));
    }

    [Test]
    public void List_OfAMissingDatabase_IsAFailure()
    {
        var result = PromptLoggerCommand.Run("list", "-d", "sqlite:///" + _store.Temp.File("missing.db"));

        Assert.That(result.ExitCode, Is.EqualTo(kind == StoreKind.Sqlite ? 1 : 1));
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
    }

    private List<string?> ExportedIds(params string[] flags)
    {
        var result = Run(["export", "prompts", "-", .. flags]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return [.. ToolResult.ParseJsonl(result.DataText).Select(l => (string?)l["id"])];
    }

    private List<string?> ListedIds(params string[] flags)
    {
        var result = Run(["list", "--json", .. flags]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return [.. ToolResult.ParseJsonl(result.DataText).Select(l => (string?)l["id"])];
    }

    private ToolResult Run(params string[] args) => PromptLoggerCommand.Run([.. args, "-d", _store.Url]);

    private void StoreHourly(int count) =>
        StoredRecords.Store(_store.Url, [.. Enumerable.Range(0, count).Select(i => Record(i))]);

    /// <summary>Record <paramref name="i"/>: made <paramref name="i"/> hours after <see cref="Start"/>, with an id that sorts so.</summary>
    private static PromptRecord Record(int i, string @namespace = "default") =>
        StoredRecords.Chat(@namespace, $"question {i}", $"answer {i}") with { Id = Id(i), InferenceOn = Start + i * 3600 };

    private static string Id(int i) => $"{i:x8}-0000-7000-8000-000000000000";
}
