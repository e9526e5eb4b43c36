using System.Text.RegularExpressions;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Web;

/// <summary><c>prompt-logger report</c> on both stores: one self-contained file, its header, its records, its exit codes.</summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed partial class ReportCommandTests(StoreKind kind)
{
    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(kind);

    [TearDown]
    public void TearDown() => _store?.Dispose();

    [Test]
    public void Report_WritesOneSelfContainedFile_WithTheOverviewAndTheNewestRecords()
    {
        OverviewSample.Store(_store.Url);
        var output = _store.Temp.File("report.html");

        var result = PromptLoggerCommand.Run("report", output, "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Error, Does.Contain($"Wrote a report of 15 records (15 listed) to {output}"));
        var html = File.ReadAllText(output);
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.StartWith("<!DOCTYPE html>"));
            Assert.That(html, Does.Contain("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#x27;none&#x27;; style-src &#x27;sha256-"));
            Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("<link").And.Not.Contain("src=").And.Not.Contain("href=").And.Not.Contain("url("),
                "nothing to load: no script, style sheet, image or link");
            Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"));
            Assert.That(Regex.Count(html, "<svg "), Is.EqualTo(5), "calls per day, tokens, cost, latency, time to first token");
            Assert.That(RecordRows().Count(html), Is.EqualTo(15));
            Assert.That(html, Does.Contain("data-total=\"calls\">15<"));
        });
    }

    [Test]
    public void Report_ListsTheNewestRecords_UpToTheLimit_NewestFirst()
    {
        OverviewSample.Store(_store.Url);
        var output = _store.Temp.File("report.html");

        var result = PromptLoggerCommand.Run("report", output, "--limit", "3", "-m", "gpt-4.1", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var html = File.ReadAllText(output);
        var times = RecordTimes().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.That(times, Is.EqualTo(new[] { "2026-03-04 03:00:00", "2026-03-04 02:00:00", "2026-03-04 01:00:00" }));
        Assert.That(html, Does.Contain("data-field=\"Models\">gpt-4.1<"));
        Assert.That(html, Does.Contain("data-total=\"calls\">10<"), "the overview is of the selection, not of the rows listed");
    }

    [Test]
    public void Report_Header_NamesTheDatabaseWithoutItsPassword()
    {
        OverviewSample.Store(_store.Url);
        var output = _store.Temp.File("report.html");
        // The test server trusts local connections (.ci/postgres.sh: initdb -A trust): a password is sent and ignored.
        const string Password = "report-secret-pw";
        var database = _store.Url;
        var at = database.IndexOf('@', StringComparison.Ordinal);
        if (kind == StoreKind.PostgreSql && at > 0 && !database[(database.IndexOf("://", StringComparison.Ordinal) + 3)..at].Contains(':', StringComparison.Ordinal))
        {
            database = database.Insert(at, ":" + Password);
        }

        var result = PromptLoggerCommand.Run("report", output, "-d", database);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var html = File.ReadAllText(output);
        var shown = DatabaseUrl.Parse(database).Redacted;
        Assert.That(html, Does.Contain("data-field=\"database\">" + shown + "<"));
        Assert.That(html, Does.Not.Contain(Password));
        if (kind == StoreKind.PostgreSql)
        {
            Assert.That(shown, Does.Contain(":***@"));
        }
    }

    [Test]
    public void Report_ToStandardOutput_WritesTheDocument()
    {
        OverviewSample.Store(_store.Url);

        var result = PromptLoggerCommand.Run("report", "-", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.DataText, Does.StartWith("<!DOCTYPE html>").And.EndWith("</html>\n"));
        Assert.That(result.Error, Does.Contain("to standard output"));
    }

    [Test]
    public void Report_OfASelectionThatMatchesNothing_SaysSo_AsExportDoes()
    {
        OverviewSample.Store(_store.Url);
        var output = _store.Temp.File("empty.html");

        var result = PromptLoggerCommand.Run("report", output, "-n", "nobody", "-d", _store.Url);

        Assert.That(result.ExitCode, Is.Zero, "export of nothing writes an empty export and exits 0; so does report");
        Assert.That(File.ReadAllText(output), Does.Contain("No records match this selection."));
        Assert.That(result.Error, Does.Contain("warning: nothing matched in namespace 'nobody'; the database holds namespaces: default"));
    }

    [Test]
    public void Report_OfAMissingDatabase_ExitsOne_AndWritesNothing()
    {
        var output = _store.Temp.File("report.html");

        var result = PromptLoggerCommand.Run("report", output, "-d", "sqlite:///" + _store.Temp.File("missing.db"));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(File.Exists(output), Is.False);
        Assert.That(File.Exists(_store.Temp.File("missing.db")), Is.False, "a report never creates a database");
    }

    [Test]
    public void Report_IntoTheDatabaseItself_IsRefused_AndTheDatabaseKept()
    {
        if (kind == StoreKind.PostgreSql)
        {
            Assert.Ignore("only a SQLite database is a file");
        }

        OverviewSample.Store(_store.Url);
        var database = _store.Temp.File("prompts.db");
        var before = File.ReadAllBytes(database);

        var result = PromptLoggerCommand.Run("report", database, "-d", _store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(File.ReadAllBytes(database), Is.EqualTo(before));
        Assert.That(_store.CountPrompts(), Is.EqualTo(15));
    }

    [TestCase(new string[0], "report needs the HTML file to write")]
    [TestCase(new[] { "a.html", "b.html" }, "unexpected argument 'b.html' for report")]
    [TestCase(new[] { "a.html", "--limit", "0" }, "--limit must be 1 or more, not 0")]
    [TestCase(new[] { "a.html", "--since", "yesterday" }, "--since")]
    [TestCase(new[] { "a.html", "--prices", "" }, "--prices is empty")]
    public void Report_WithABadCommandLine_ExitsTwo_WithOneLine(string[] args, string reason)
    {
        OverviewSample.Store(_store.Url);

        var result = PromptLoggerCommand.Run(["report", .. args, "-d", _store.Url]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.Contain(reason).And.Contain("(see prompt-logger report --help)"));
    }

    [GeneratedRegex("<tr class=\"record[ \"]")]
    private static partial Regex RecordRows();

    [GeneratedRegex("<tr class=\"record[^\"]*\"><td class=\"nowrap\">([^<]+)</td>")]
    private static partial Regex RecordTimes();
}
