using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;
using PromptLogging.Tool;

namespace PromptLogging.Tests.Tool;

/// <summary><c>prompt-logger purge</c> on both stores: what it deletes, what it keeps, and when it refuses.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class PurgeCommandTests(StoreKind kind)
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
    public void Purge_OlderThan_DeletesExactlyTheSelection_AndTheOthersExportByteForByte()
    {
        var old = Enumerable.Range(0, 5).Select(i => Aged(StoredRecords.Chat("default", $"old question {i}"), days: 40)).ToArray();
        var recent = Enumerable.Range(0, 3).Select(i => Aged(StoredRecords.Chat("default", $"recent question {i}"), days: 2)).ToArray();
        var otherNamespace = Aged(StoredRecords.Chat("other", "old but elsewhere"), days: 40);
        var oldText = Aged(SampleSpool.TextRecords("default", 1, "old text ")[0], days: 40);
        StoredRecords.Store(_store.Url, [.. old, .. recent, otherNamespace, oldText]);
        var keptBefore = ExportLines("--all-namespaces").Where(l => !old.Any(o => l.Contains(o.Id, StringComparison.Ordinal))).ToList();
        var textBefore = ExportLines("--type", "text");

        var result = PromptLoggerCommand.Run("purge", "--older-than", "30d", "--type", "chat", "--yes", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Error, Does.Contain("Deleted 5 chat records"));
        Assert.That(_store.CountPrompts(), Is.EqualTo(10 - 5));
        Assert.That(ExportLines("--all-namespaces"), Is.EqualTo(keptBefore), "the records kept export exactly as before");
        Assert.That(ExportLines("--type", "text"), Is.EqualTo(textBefore), "--type chat leaves the text records");
    }

    [Test]
    public void Purge_SearchForgetsThePurgedText_FindsTheRest_AndANewRecordAfterwards()
    {
        var older = Enumerable.Range(0, 4).Select(i => StoredRecords.Chat("default", $"kiwi keep {i}")).ToArray();
        // The newest records go: SQLite hands their rowids to the next records, which the search must still index.
        var newest = Enumerable.Range(0, 3).Select(i => StoredRecords.Chat("default", $"kiwi mango {i}") with { Tags = StoredRecords.JsonBytes(new[] { "gone" }) }).ToArray();
        StoredRecords.Store(_store.Url, [.. older, .. newest]);
        Assert.That(SearchIds("kiwi"), Has.Count.EqualTo(7), "indexed before the purge");

        var result = PromptLoggerCommand.Run("purge", "--tag", "gone", "--yes", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(SearchIds("mango"), Is.Empty);
        Assert.That(SearchIds("kiwi"), Is.EquivalentTo(older.Select(r => r.Id)));
        using (var connection = _store.Open())
        {
            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompt_tags"), Is.Zero, "the tags went with their prompts");
        }

        var later = StoredRecords.Chat("default", "kiwi papaya after the purge");
        StoredRecords.Store(_store.Url, later);
        Assert.That(SearchIds("papaya"), Is.EqualTo(new[] { later.Id }));
        Assert.That(SearchIds("kiwi"), Has.Count.EqualTo(5));
        AssertSearchIndexIntact();
    }

    [Test]
    public void Purge_OfThePromptAtTheSearchMark_MovesTheMarkDown_SoNewerPromptsAreIndexedOnce_WithoutARebuild()
    {
        if (kind != StoreKind.Sqlite)
        {
            Assert.Ignore("PostgreSQL's seq values are never reused: its mark needs no care");
        }

        var indexed = Enumerable.Range(0, 4).Select(i => StoredRecords.Chat("default", $"kiwi indexed {i}")).ToArray();
        StoredRecords.Store(_store.Url, indexed);
        Assert.That(SearchIds("kiwi"), Has.Count.EqualTo(4));
        var notYet = Enumerable.Range(0, 2).Select(i => StoredRecords.Chat("default", $"kiwi not yet {i}")).ToArray();
        StoredRecords.Store(_store.Url, notYet);

        using (var connection = _store.Open())
        {
            connection.Execute("UPDATE prompts SET conversation_id = 'gone' WHERE id IN @ids", new { ids = new[] { indexed[2].Id, indexed[3].Id } });
        }

        var result = PromptLoggerCommand.Run("purge", "--conversation", "gone", "--yes", "-d", _store.Url);

        Assert.That(result.Error, Does.Contain("Deleted 2 records (2 chat, 0 text)"), result.ToString());
        using (var connection = _store.Open())
        {
            Assert.That(connection.ExecuteScalar<string>("SELECT high_water_id FROM prompt_search_state"), Is.EqualTo(indexed[1].Id), "the mark is on the last indexed prompt left");
        }

        var later = StoredRecords.Chat("default", "kiwi later");
        StoredRecords.Store(_store.Url, later);
        Assert.That(SearchIds("kiwi"), Is.EquivalentTo(new[] { indexed[0].Id, indexed[1].Id, notYet[0].Id, notYet[1].Id, later.Id }));
        AssertSearchIndexIntact();
    }

    [Test]
    public void Purge_DeletesTheModelsNoRecordUsesAnyMore_AndKeepsTheOthers()
    {
        StoredRecords.Store(_store.Url,
            StoredRecords.Chat("default", "a", model: "old-model"),
            StoredRecords.Chat("default", "b", model: "shared-model") with { UserId = "u-7" },
            StoredRecords.Chat("default", "c", model: "shared-model"),
            StoredRecords.Chat("default", "d", model: "old-model") with { UserId = "u-7" });

        var result = PromptLoggerCommand.Run("purge", "-m", "old-model", "--yes", "-d", _store.Url);
        var second = PromptLoggerCommand.Run("purge", "--user", "u-7", "--yes", "-d", _store.Url);

        Assert.That(result.Error, Does.Contain("Deleted 2 records (2 chat, 0 text) and 1 model"), result.ToString());
        Assert.That(second.Error, Does.Contain("Deleted 1 record (1 chat, 0 text) from"), second.ToString());
        using var connection = _store.Open();
        Assert.That(connection.Query<string>("SELECT name FROM models"), Is.EqualTo(new[] { "shared-model" }));

        // A model used again after a purge deleted it is registered again.
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "e", model: "old-model"));
        Assert.That(connection.Query<string>("SELECT name FROM models ORDER BY name"), Is.EqualTo(new[] { "old-model", "shared-model" }));
    }

    [Test]
    public void Purge_WithoutASelectionFlag_ExitsTwo_AndDeletesNothing()
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "keep me"));

        var bare = PromptLoggerCommand.Run("purge", "--yes", "-d", _store.Url);
        var allNamespaces = PromptLoggerCommand.Run("purge", "--all-namespaces", "--yes", "-d", _store.Url);

        Assert.That(bare.ExitCode, Is.EqualTo(2), bare.ToString());
        Assert.That(bare.Error, Does.Contain("at least one selection flag").And.Contain("--help"));
        Assert.That(allNamespaces.ExitCode, Is.EqualTo(2), allNamespaces.ToString());
        Assert.That(_store.CountPrompts(), Is.EqualTo(1));
    }

    [Test]
    public void Purge_WithStandardInputRedirected_NeedsYes()
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "keep me"));

        var result = PromptLoggerCommand.RunProcess(_store.Temp.Path, "purge", "-n", "default", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain("add --yes"));
        Assert.That(_store.CountPrompts(), Is.EqualTo(1));
    }

    [TestCase("y", 0)]
    [TestCase("n", 1)]
    [TestCase("", 1)]
    public void Purge_OnATerminal_AsksFirst(string answer, long left)
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "maybe"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var console = new ToolConsole(stdout, stderr, new MemoryStream()) { InputIsTerminal = true, Input = new StringReader(answer + "\n") };

        var exit = Program.Run(["purge", "-n", "default", "-d", _store.Url], console, null);

        Assert.That(stderr.ToString(), Does.Contain("Delete 1 record (1 chat, 0 text) and 1 model").And.Contain("[y/N]"));
        Assert.That(exit, Is.EqualTo(left == 0 ? 0 : 1), stderr.ToString());
        Assert.That(_store.CountPrompts(), Is.EqualTo(left));
    }

    [Test]
    public void Purge_DryRun_PrintsWhatWouldGo_AndChangesNothing()
    {
        StoredRecords.Store(_store.Url,
            StoredRecords.Chat("default", "a", model: "m-1"), StoredRecords.Chat("default", "b", model: "m-1"),
            StoredRecords.Chat("default", "c", model: "m-2"));
        var before = ExportLines();

        var result = PromptLoggerCommand.Run("purge", "-m", "m-1", "--dry-run", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Out, Is.EqualTo("default\tchat\tm-1\t2" + Environment.NewLine));
        Assert.That(result.Error, Does.Contain("Would delete 2 records (2 chat, 0 text) and 1 model").And.Contain("nothing was changed"));
        Assert.That(ExportLines(), Is.EqualTo(before));
        using var connection = _store.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM models"), Is.EqualTo(2));
    }

    [Test]
    public void Purge_MatchingNothing_ExitsZeroWithZeroRecords()
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "recent"));

        var result = PromptLoggerCommand.Run("purge", "--older-than", "30d", "--yes", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Error, Does.Contain("0 records"));
        Assert.That(_store.CountPrompts(), Is.EqualTo(1));
    }

    [TestCase("30 days")]
    [TestCase("-3d")]
    [TestCase("yesterday")]
    public void Purge_OlderThanThatDoesNotParse_ExitsTwo(string age)
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "keep"));

        var result = PromptLoggerCommand.Run("purge", "--older-than", age, "--yes", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.Contain("--older-than").And.Contain("is not an age"));
        Assert.That(_store.CountPrompts(), Is.EqualTo(1));
    }

    [Test]
    public void Purge_ShrinksTheSqliteFile()
    {
        if (kind != StoreKind.Sqlite)
        {
            Assert.Ignore("a file size is SQLite's; PostgreSQL's VACUUM is checked by Purge_VacuumsThePostgresTables");
        }

        var bulky = new string('x', 4_000);
        StoredRecords.Store(_store.Url, [.. Enumerable.Range(0, 2_000).Select(i => StoredRecords.Chat("bulk", $"{i} {bulky}"))]);
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "small"));
        SqliteConnection.ClearAllPools();
        var before = new FileInfo(_store.Temp.File("prompts.db")).Length;

        var result = PromptLoggerCommand.Run("purge", "-n", "bulk", "--yes", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Error, Does.Contain("Reclaimed the space (VACUUM)"));
        var after = new FileInfo(_store.Temp.File("prompts.db")).Length + Length(_store.Temp.File("prompts.db-wal"));
        Assert.That(after, Is.LessThan(before / 10), $"{before} bytes before, {after} after");
        Assert.That(_store.CountPrompts(), Is.EqualTo(1));
    }

    [Test]
    public void Purge_VacuumsThePostgresTables()
    {
        if (kind != StoreKind.PostgreSql)
        {
            Assert.Ignore("PostgreSQL only");
        }

        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "a"), StoredRecords.Chat("default", "b"));

        var result = PromptLoggerCommand.Run("purge", "-n", "default", "--yes", "-d", _store.Url);

        Assert.That(result.Error, Does.Contain("Reclaimed the space (VACUUM)"), result.ToString());
        using var connection = _store.Open();
        Assert.That(connection.ExecuteScalar<bool>("SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'prompts'"), Is.True);
    }

    [Test]
    public void Purge_KilledMidway_LeavesAConsistentDatabase()
    {
        const int Count = 60_000;
        var records = Enumerable.Range(0, Count).Select(i => StoredRecords.Chat("default", $"kiwi number {i}") with { Tags = StoredRecords.JsonBytes(new[] { "t" }) }).ToArray();
        foreach (var chunk in records.Chunk(10_000))
        {
            StoredRecords.Store(_store.Url, chunk);
        }

        Assert.That(SearchIds("kiwi", limit: Count), Has.Count.EqualTo(Count), "all indexed before the purge");

        using var purge = ChildProcess.StartIn(_store.Temp.Path, PromptLoggerCommand.ToolDll(), "purge", "-n", "default", "--yes", "-d", _store.Url);
        purge.StandardInput.Close();
        var watch = Stopwatch.StartNew();
        long left;
        do
        {
            Thread.Sleep(5);
            left = CountCommitted();
        }
        while (left == Count && !purge.HasExited && watch.Elapsed < TimeSpan.FromSeconds(60));

        purge.Kill();
        purge.WaitForExit();
        left = _store.CountPrompts();
        Assert.That(left, Is.GreaterThan(0).And.LessThan(Count), "killed between its first and its last batch");
        Assert.That(left % 1_000, Is.Zero, "whole batches only");

        using (var connection = _store.Open())
        {
            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompt_tags"), Is.EqualTo(left), "every remaining prompt keeps its tag, no other tag is left");
            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompt_tags t WHERE NOT EXISTS (SELECT 1 FROM prompts p WHERE p.id = t.prompt_id)"), Is.Zero);
        }

        AssertSearchIndexIntact();
        Assert.That(SearchIds("kiwi", limit: Count), Has.Count.EqualTo((int)left));
        var again = PromptLoggerCommand.Run("purge", "-n", "default", "--yes", "-d", _store.Url);
        Assert.That(again.Error, Does.Contain($"Deleted {left:N0} records ({left:N0} chat, 0 text)"), again.ToString());
        Assert.That(SearchIds("kiwi"), Is.Empty);
    }

    [Test]
    public void Purge_InterruptedByCtrlC_StopsBetweenBatches_ExitsOneThirty_AndSaysWhatWasDeleted()
    {
        const int Count = 30_000;
        StoredRecords.Store(_store.Url, [.. Enumerable.Range(0, Count).Select(i => StoredRecords.Chat("default", $"record {i}"))]);
        using var interruption = new Interruption();
        var watcher = new Thread(() =>
        {
            var watch = Stopwatch.StartNew();
            while (CountCommitted() is Count or (-1) && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(2);
            }

            interruption.Raise(System.Runtime.InteropServices.PosixSignal.SIGINT);
        });
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        watcher.Start();

        var exit = Program.Run(["purge", "-n", "default", "--yes", "-d", _store.Url], stdout, stderr, new MemoryStream(), interruption);
        watcher.Join();

        var left = _store.CountPrompts();
        Assert.That(exit, Is.EqualTo(130), stderr.ToString());
        Assert.That(left, Is.GreaterThan(0).And.LessThan(Count));
        Assert.That(stderr.ToString(), Does.Contain($"purge interrupted by SIGINT (Ctrl-C); {Count - left:N0} records deleted before it"));
    }

    [Test]
    public void Purge_Confirmed_DeletesOnlyWhatItCounted_NotARecordStoredWhileItAsked()
    {
        StoredRecords.Store(_store.Url, StoredRecords.Chat("default", "counted 1"), StoredRecords.Chat("default", "counted 2"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        // While the user reads the question, a running application's logger stores a record the selection matches.
        var answer = new AnswerAfter(() =>
        {
            using var logger = new PromptLogger(new PromptLoggerOptions { Database = _store.Url });
            logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "stored while the purge asked <script>\u001b[2J", "ok"));
            Assert.That(logger.Flush(TimeSpan.FromSeconds(60)), Is.True);
        });
        var console = new ToolConsole(stdout, stderr, new MemoryStream()) { InputIsTerminal = true, Input = answer };

        var exit = Program.Run(["purge", "-n", "default", "-d", _store.Url], console, null);

        Assert.That(exit, Is.Zero, stderr.ToString());
        Assert.That(stderr.ToString(), Does.Contain("Delete 2 records (2 chat, 0 text)").And.Contain("Deleted 2 records (2 chat, 0 text)"));
        using var connection = _store.Open();
        Assert.That(connection.Query<string>("SELECT messages FROM prompts"), Has.Exactly(1).Contains("stored while the purge asked"), "the record stored after the preview survives");
    }

    [Test]
    public void Purge_WithoutType_DeletesChatAndTextRecords_WithType_OnlyThatKind()
    {
        StoredRecords.Store(_store.Url,
            StoredRecords.Chat("default", "u-7 chat") with { UserId = "u-7" },
            StoredRecords.Chat("other", "u-7 chat elsewhere", model: "m-2") with { UserId = "u-7" },
            SampleSpool.TextRecords("default", 1, "u-7 text ")[0] with { UserId = "u-7" },
            SampleSpool.TextRecords("other", 1, "u-7 text elsewhere ")[0] with { UserId = "u-7" },
            StoredRecords.Chat("default", "someone else's") with { UserId = "u-8" },
            SampleSpool.TextRecords("default", 1, "someone else's text ")[0] with { UserId = "u-8" });

        var dryRun = PromptLoggerCommand.Run("purge", "--all-namespaces", "--user", "u-7", "--dry-run", "-d", _store.Url);
        Assert.That(dryRun.ExitCode, Is.Zero, dryRun.ToString());
        Assert.That(dryRun.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split('\t')[..2])),
            Is.EqualTo(new[] { "default chat", "default text", "other chat", "other text" }));
        Assert.That(dryRun.Error, Does.Contain("Would delete 4 records (2 chat, 2 text)"));

        var textOnly = PromptLoggerCommand.Run("purge", "--all-namespaces", "--user", "u-8", "--type", "text", "--yes", "-d", _store.Url);
        Assert.That(textOnly.Error, Does.Contain("Deleted 1 text record"), textOnly.ToString());
        var both = PromptLoggerCommand.Run("purge", "--all-namespaces", "--user", "u-7", "--yes", "-d", _store.Url);
        Assert.That(both.ExitCode, Is.Zero, both.ToString());
        Assert.That(both.Error, Does.Contain("Deleted 4 records (2 chat, 2 text)"));

        using var connection = _store.Open();
        Assert.That(connection.Query<(string, string)>("SELECT user_id, kind FROM prompts"), Is.EqualTo(new[] { ("u-8", "chat") }),
            "every record of u-7, chat and text, in every namespace, is gone; of u-8 only the text one");
    }

    /// <summary>Standard input that runs something before it answers yes, as if it happened while the user read the question.</summary>
    private sealed class AnswerAfter(Action meanwhile) : TextReader
    {
        public override string? ReadLine()
        {
            meanwhile();
            return "y";
        }
    }

    private long CountCommitted()
    {
        try
        {
            return _store.CountPrompts();
        }
        catch (SqliteException)
        {
            return -1;
        }
    }

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static PromptRecord Aged(PromptRecord record, int days) =>
        record with { InferenceOn = DateTimeOffset.UtcNow.AddDays(-days).ToUnixTimeMilliseconds() / 1000.0 };

    private List<string> ExportLines(params string[] flags)
    {
        var result = PromptLoggerCommand.Run(["export", "prompts", "-", "-d", _store.Url, .. flags]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return [.. result.DataText.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private List<string> SearchIds(string query, int limit = 100)
    {
        var result = PromptLoggerCommand.Run("search", query, "--limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture), "-d", _store.Url);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return [.. result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0])];
    }

    /// <summary>
    /// The index holds the prompts below its mark and nothing else: FTS5's own check of its structure and one entry per
    /// prompt (its docsize rows) on SQLite; no row without its prompt on PostgreSQL.
    /// </summary>
    private void AssertSearchIndexIntact()
    {
        using var connection = _store.Open();
        if (kind == StoreKind.Sqlite)
        {
            Assert.DoesNotThrow(() => connection.Execute("INSERT INTO prompts_fts (prompts_fts) VALUES ('integrity-check')"));
            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompts_fts_docsize d WHERE NOT EXISTS (SELECT 1 FROM prompts p WHERE p.rowid = d.id)"), Is.Zero, "no entry without its prompt");
            var mark = connection.ExecuteScalar<long>("SELECT high_water FROM prompt_search_state");
            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompts_fts_docsize"),
                Is.EqualTo(connection.ExecuteScalar<long>("SELECT count(*) FROM prompts WHERE rowid <= @mark", new { mark })), "every prompt below the mark has its entry");
        }
        else
        {
            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompt_search s WHERE NOT EXISTS (SELECT 1 FROM prompts p WHERE p.seq = s.seq)"), Is.Zero);
        }
    }
}
