using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Storage;

/// <summary>
/// Files at the database path that are not PromptLogger's: refused before anything is written, left byte-for-byte as
/// they were, with nothing created beside them — by the logger, the export and the import alike.
/// </summary>
public sealed class ForeignSqliteFileTests
{
    private TempFolder _temp = null!;
    private string _path = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _path = _temp.File("prompts.db");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>Files another program left at the database path, each with the words the refusal must say why with.</summary>
    public static IEnumerable<TestCaseData> ForeignFiles()
    {
        yield return Case("another application's database with its own prompts table", "has tables (notes, prompts) but no PromptLogger schema", path => Sqlite(path, """
            CREATE TABLE prompts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT);
            CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);
            INSERT INTO prompts (title, body) VALUES ('greeting', 'Say hello');
            """));
        yield return Case("another application's WAL database with its own prompts table", "no PromptLogger schema", path => Sqlite(path, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE prompts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT);
            INSERT INTO prompts (title, body) VALUES ('greeting', 'Say hello');
            """));
        yield return Case("our user_version with a different prompts table", "its prompts table has the columns (body, id, title)", path => Sqlite(path, $"""
            CREATE TABLE prompts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT);
            INSERT INTO prompts (title, body) VALUES ('greeting', 'Say hello');
            PRAGMA user_version = {Schema.CurrentVersion};
            """));
        yield return Case("our user_version with our prompts table but no models table", "has no models table", path => Sqlite(path, $"""
            {string.Join("\n", Schema.Steps).Replace("CREATE TABLE models", "CREATE TABLE other_models", StringComparison.Ordinal)}
            PRAGMA user_version = {Schema.CurrentVersion};
            """));
        yield return Case("our user_version with none of our tables", "has no models table", path => Sqlite(path, $"""
            CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);
            INSERT INTO notes (text) VALUES ('keep me');
            PRAGMA user_version = {Schema.CurrentVersion};
            """));
        yield return Case("our user_version and an empty database", "has no models table", path => Sqlite(path, $"PRAGMA user_version = {Schema.CurrentVersion};"));
        yield return Case("version 1 user_version with the version 2 columns", "its prompts table has the columns", path => Sqlite(path, $"""
            {string.Join("\n", Schema.Steps)}
            PRAGMA user_version = 1;
            """));
        yield return Case("a user_version above ours without our tables", "user_version 7", path => Sqlite(path, """
            CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
            PRAGMA user_version = 7;
            """));
        yield return Case("another application's id on our very tables", "application_id 0x0F055112", path => Sqlite(path, $"""
            {string.Join("\n", Schema.Steps)}
            PRAGMA user_version = {Schema.CurrentVersion};
            PRAGMA application_id = {0x0F055112};
            """));
        yield return Case("a text file", "not a SQLite database", path => File.WriteAllText(path, "shopping list\n- milk\n"));
        yield return Case("a JSON file", "not a SQLite database", path => File.WriteAllText(path, """{"prompts": [{"id": 1, "text": "hello"}]}"""));
        yield return Case("one byte", "not a SQLite database", path => File.WriteAllBytes(path, [0x0A]));
    }

    [TestCaseSource(nameof(ForeignFiles))]
    public void Logger_RefusesAForeignFileNamingItAndWhy_AndLeavesItUnchanged(Action<string> create, string why)
    {
        ArgumentNullException.ThrowIfNull(create);
        create(_path);
        var before = Snapshot();

        var exception = Assert.Throws<InvalidOperationException>(() => new PromptLogger("ns", _temp.DatabaseUrl()));

        Assert.That(exception!.Message, Does.Contain(_path).And.Contain(why).And.Contain("point the logger at another file"));
        Assert.That(Snapshot(), Is.EqualTo(before), "the file's bytes and the folder's listing");
    }

    [TestCaseSource(nameof(ForeignFiles))]
    public void ExportCommand_RefusesAForeignFileWithExitOne_AndCreatesNothing(Action<string> create, string why)
    {
        ArgumentNullException.ThrowIfNull(create);
        create(_path);
        var before = Snapshot();

        var toFile = PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "-d", _temp.DatabaseUrl());
        var toStdout = PromptLoggerCommand.Run("export", "models", "-", "-d", _temp.DatabaseUrl());

        foreach (var result in new[] { toFile, toStdout })
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.Error, Does.Contain(_path).And.Contain(why), result.ToString());
            Assert.That(result.Data, Is.Empty);
        }

        Assert.That(Snapshot(), Is.EqualTo(before), "the file's bytes and the folder's listing");
    }

    [TestCaseSource(nameof(ForeignFiles))]
    public void ImportCommand_RefusesAForeignFileWithExitOne_AndKeepsTheSpool(Action<string> create, string why)
    {
        ArgumentNullException.ThrowIfNull(create);
        create(_path);
        var before = Snapshot();
        using var elsewhere = new TempFolder();
        var spool = SampleSpool.Write(elsewhere.File("other.db"), SampleSpool.TextRecords("ns", 3));

        var result = PromptLoggerCommand.Run("import", spool, "-d", _temp.DatabaseUrl());

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain(_path).And.Contain(why), result.ToString());
        Assert.That(File.Exists(spool), Is.True, "the spool is kept for a database that can take it");
        Assert.That(Snapshot(), Is.EqualTo(before), "the file's bytes and the folder's listing");
    }

    [TestCase("odd #%; é [1]")]
    [TestCase("50%25 #x")]
    public void ForeignWalDatabase_InAFolderWhoseNameNeedsEscapingInAUri_IsRefusedAndLeftAlone(string folder)
    {
        // A closed WAL database is read as immutable through a file: URI; the path must survive the escaping.
        Directory.CreateDirectory(_temp.File(folder));
        var path = Path.Combine(_temp.Path, folder, "prompts.db");
        Sqlite(path, "PRAGMA journal_mode = WAL; CREATE TABLE prompts (id INTEGER PRIMARY KEY, title TEXT);");
        var before = Snapshot(Path.GetDirectoryName(path)!);

        var logger = Assert.Throws<InvalidOperationException>(() => new PromptLogger("ns", "sqlite:///" + path));
        var export = PromptLoggerCommand.Run("export", "prompts", "-", "-d", "sqlite:///" + path);

        Assert.That(logger!.Message, Does.Contain(path).And.Contain("has tables (prompts) but no PromptLogger schema"));
        Assert.That(export.ExitCode, Is.EqualTo(1), export.ToString());
        Assert.That(export.Error, Does.Contain("has tables (prompts) but no PromptLogger schema"), export.ToString());
        Assert.That(Snapshot(Path.GetDirectoryName(path)!), Is.EqualTo(before), "the file's bytes and the folder's listing");
    }

    [Test]
    public void Logger_InitialisesAnEmptyFile()
    {
        File.WriteAllBytes(_path, []);

        using (var logger = new PromptLogger("ns", _temp.DatabaseUrl()))
        {
            logger.SaveInteraction("hello", "world", model: "m");
        }

        using var connection = Open(_path);
        Assert.That(connection.ExecuteScalar<int>("PRAGMA user_version"), Is.EqualTo(Schema.CurrentVersion));
        Assert.That(connection.ExecuteScalar<int>("PRAGMA application_id"), Is.EqualTo(SqliteFileCheck.ApplicationId));
        Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompts"), Is.EqualTo(1));
    }

    [Test]
    public void NewDatabase_CarriesPromptLoggersApplicationId()
    {
        using (new PromptLogger("ns", _temp.DatabaseUrl()))
        {
        }

        // Read straight from the header (offset 68, big-endian), as file(1) and other tools see it.
        var header = File.ReadAllBytes(_path).AsSpan(68, 4);
        Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header), Is.EqualTo(SqliteFileCheck.ApplicationId));
        Assert.That(SqliteFileCheck.ApplicationId.ToString("X8", CultureInfo.InvariantCulture), Is.EqualTo("50724C67"), "'PrLg'");
    }

    [Test]
    public void SqliteDatabaseWithNothingInIt_IsInitialised()
    {
        // What another process's logger leaves for an instant between switching a new file to WAL and creating the tables.
        Sqlite(_path, "PRAGMA journal_mode = WAL;");

        using (var logger = new PromptLogger("ns", _temp.DatabaseUrl()))
        {
            logger.SaveInteraction("hello", "world", model: "m");
        }

        using var connection = Open(_path);
        Assert.That(connection.ExecuteScalar<int>("PRAGMA user_version"), Is.EqualTo(Schema.CurrentVersion));
        Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompts"), Is.EqualTo(1));
    }

    [Test]
    public void EightLoggersCreatingOneNewFileAtOnce_AllTakeItForTheirs()
    {
        // Each checks the file while the others switch it to WAL and create the tables: none may mistake a schema
        // half-seen (tables without their user_version) for another application's.
        const int loggers = 8, rounds = 40;
        var refused = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            var url = _temp.DatabaseUrl($"new-{round}.db");
            using var start = new Barrier(loggers);
            var threads = Enumerable.Range(0, loggers).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    using var logger = new PromptLogger("ns", url);
                    logger.SaveInteraction($"prompt {i}", "response", model: "m");
                }
                catch (InvalidOperationException exception)
                {
                    lock (refused)
                    {
                        refused.Add(exception.Message);
                    }
                }
            })).ToList();
            threads.ForEach(thread => thread.Start());
            threads.ForEach(thread => thread.Join());
        }

        Assert.That(refused, Is.Empty);
        for (var round = 0; round < rounds; round++)
        {
            using var connection = Open(_temp.File($"new-{round}.db"));
            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompts"), Is.EqualTo(loggers));
        }
    }

    [Test]
    public void CurrentDatabaseWrittenBeforeTheMarker_StillOpensAndKeepsItsRows()
    {
        // As PromptLogger wrote schema version 2 before it set an application_id: recognised by its tables.
        Sqlite(_path, $"""
            PRAGMA journal_mode = WAL;
            {string.Join("\n", Schema.Steps)}
            INSERT INTO prompts (id, namespace, kind, prompt, response, inference_on) VALUES ('old', 'ns', 'text', 'p', 'r', 1745360143.5);
            PRAGMA user_version = {Schema.CurrentVersion};
            """);

        using (var logger = new PromptLogger("ns", _temp.DatabaseUrl()))
        {
            logger.SaveInteraction("hello", "world", model: "m");
        }

        using var connection = Open(_path);
        Assert.That(connection.Query<string>("SELECT prompt FROM prompts ORDER BY rowid"), Is.EqualTo(new[] { "p", "hello" }));
    }

    [Test]
    public void OurDatabase_WithAnIndexAndAViewOfItsOwnerAdded_StillOpens()
    {
        using (new PromptLogger("ns", _temp.DatabaseUrl()))
        {
        }

        Sqlite(_path, """
            CREATE INDEX ix_mine ON prompts (model);
            CREATE VIEW recent AS SELECT id FROM prompts;
            CREATE TABLE annotations (prompt_id TEXT, note TEXT);
            """);

        using (var logger = new PromptLogger("ns", _temp.DatabaseUrl()))
        {
            logger.SaveInteraction("hello", "world", model: "m");
        }

        using var connection = Open(_path);
        Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM prompts"), Is.EqualTo(1));
    }

    private static TestCaseData Case(string name, string why, Action<string> create) =>
        new TestCaseData(create, why).SetArgDisplayNames(name);

    private static void Sqlite(string path, string sql)
    {
        using var connection = Open(path);
        connection.Execute(sql);
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>The folder's entries with the SHA-256 of each file: any byte written or file left behind shows.</summary>
    private string[] Snapshot() => Snapshot(_temp.Path);

    private static string[] Snapshot(string folder) =>
        [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)
            .Select(file => Path.GetFileName(file) + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))))];
}
