using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Storage;

public sealed class SchemaMigrationTests
{
    // Version 1 as it was released, written out here rather than taken from Schema.Steps,
    // so that an edit to a released step shows up as a failing test.
    private const string VersionOneSchema = """
        CREATE TABLE models (id TEXT PRIMARY KEY, namespace TEXT NOT NULL, name TEXT NOT NULL, version TEXT,
            provider TEXT, description TEXT, created REAL NOT NULL, UNIQUE (namespace, name));
        CREATE TABLE prompts (id TEXT PRIMARY KEY, namespace TEXT NOT NULL, kind TEXT NOT NULL, model TEXT,
            messages TEXT, generation_kwargs TEXT, completions TEXT, prompt TEXT, response TEXT,
            inference_on REAL NOT NULL, inference_seconds REAL);
        CREATE INDEX ix_prompts_namespace_kind ON prompts (namespace, kind);
        PRAGMA user_version = 1;
        """;

    // Version 2 as it was released: version 1 and the columns PromptLogger added beyond the seed.
    private const string VersionTwoSchema = VersionOneSchema + """

        ALTER TABLE prompts ADD COLUMN provider TEXT;
        ALTER TABLE prompts ADD COLUMN tools TEXT;
        ALTER TABLE prompts ADD COLUMN input_tokens INTEGER;
        ALTER TABLE prompts ADD COLUMN output_tokens INTEGER;
        ALTER TABLE prompts ADD COLUMN error TEXT;
        ALTER TABLE prompts ADD COLUMN stream INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE prompts ADD COLUMN time_to_first_token_seconds REAL;
        ALTER TABLE prompts ADD COLUMN tags TEXT;
        PRAGMA user_version = 2;
        """;

    // Version 3 as it was released: version 2 and what answered, and how a stream ended.
    private const string VersionThreeSchema = VersionTwoSchema + """

        ALTER TABLE prompts ADD COLUMN response_model TEXT;
        ALTER TABLE prompts ADD COLUMN response_id TEXT;
        ALTER TABLE prompts ADD COLUMN system_fingerprint TEXT;
        ALTER TABLE prompts ADD COLUMN stream_end TEXT;
        PRAGMA user_version = 3;
        """;

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void NewDatabase_IsCreatedAtTheCurrentVersionInWalMode()
    {
        using (new PromptLogger("ns", _temp.DatabaseUrl()))
        {
        }

        using var connection = Open(_temp.File("prompts.db"));
        Assert.That(connection.ExecuteScalar<int>("PRAGMA user_version"), Is.EqualTo(Schema.CurrentVersion));
        Assert.That(connection.ExecuteScalar<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
    }

    [Test]
    public void NewDatabase_IsCreatedInAMissingFolderAndReadableByItsOwnerOnly()
    {
        var path = Path.Combine(_temp.Path, "a", "b", "prompts.db");
        using (new PromptLogger("ns", "sqlite:///" + path))
        {
        }

        Assert.That(File.Exists(path), Is.True);
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public void OlderDatabase_IsMigratedAndKeepsItsRows()
    {
        var path = _temp.File("old.db");
        using (var connection = Open(path))
        {
            connection.Execute(VersionOneSchema);
            connection.Execute(
                "INSERT INTO prompts (id, namespace, kind, model, messages, completions, inference_on, inference_seconds) " +
                "VALUES ('00000000-0000-7000-8000-000000000001', 'ns', 'chat', 'gpt-4.1', '[{\"role\":\"user\",\"content\":\"old\"}]', " +
                "'[{\"role\":\"assistant\",\"content\":\"reply\"}]', 1745360143.533253, 1.272673)");
            connection.Execute("INSERT INTO models VALUES ('m1', 'ns', 'gpt-4.1', NULL, 'system', NULL, 1744316542.0)");
        }

        using (var logger = new PromptLogger("ns", "sqlite:///" + path))
        {
            logger.SaveInteraction("new", "row", model: "gpt-4.1");
            logger.ExportChatPrompts(_temp.File("chat.jsonl"));
            logger.ExportTextPrompts(_temp.File("text.jsonl"));
            logger.ExportModels(_temp.File("models.jsonl"));
        }

        var chat = Jsonl.Read(_temp.File("chat.jsonl")).Single();
        Assert.That(chat.GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo("old"));
        Assert.That(chat.GetProperty("inference_on").GetDouble(), Is.EqualTo(1745360143.533253));
        Assert.That(Jsonl.Read(_temp.File("text.jsonl")).Single().GetProperty("prompt").GetString(), Is.EqualTo("new"));
        var model = Jsonl.Read(_temp.File("models.jsonl")).Single();
        Assert.That(model.GetProperty("provider").GetString(), Is.EqualTo("system"), "the old registration is kept");
        using var check = Open(path);
        Assert.That(check.ExecuteScalar<int>("PRAGMA user_version"), Is.EqualTo(Schema.CurrentVersion));
        Assert.That(check.ExecuteScalar<int>("PRAGMA application_id"), Is.EqualTo(SqliteFileCheck.ApplicationId), "marked as ours once migrated");
    }

    [Test]
    public void VersionThreeDatabase_IsMigrated_AndItsTaggedRowsAreSelectedByTag()
    {
        var path = _temp.File("v3.db");
        using (var connection = Open(path))
        {
            connection.Execute(VersionThreeSchema);
            connection.Execute(
                "INSERT INTO prompts (id, namespace, kind, model, messages, completions, inference_on, tags) VALUES " +
                "('00000000-0000-7000-8000-000000000031', 'ns', 'chat', 'gpt-4.1', '[{\"role\":\"user\",\"content\":\"tagged\"}]', NULL, 1.5, '[\"exp-1\",\"b\"]'), " +
                "('00000000-0000-7000-8000-000000000032', 'ns', 'chat', 'gpt-4.1', '[{\"role\":\"user\",\"content\":\"bad tags\"}]', NULL, 2.5, 'not json'), " +
                "('00000000-0000-7000-8000-000000000033', 'ns', 'chat', 'gpt-4.1', '[{\"role\":\"user\",\"content\":\"untagged\"}]', NULL, 3.5, NULL)");
        }

        using (var logger = new PromptLogger("ns", "sqlite:///" + path))
        {
            Assert.That(logger.ExportChatPrompts(_temp.File("exp.jsonl"), tags: ["exp-1"]), Is.EqualTo(1));
            Assert.That(logger.ExportChatPrompts(_temp.File("all.jsonl")), Is.EqualTo(3), "a row whose tags are not JSON is kept");
        }

        Assert.That(Jsonl.Read(_temp.File("exp.jsonl")).Single().GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo("tagged"));
        var old = Jsonl.Read(_temp.File("all.jsonl"))[0];
        Assert.That(old.TryGetProperty("conversation_id", out _), Is.False, "an old row's conversation is not made up");
        using var check = Open(path);
        Assert.That(check.ExecuteScalar<int>("PRAGMA user_version"), Is.EqualTo(Schema.CurrentVersion));
    }

    [Test]
    public void VersionTwoDatabase_IsMigratedToVersionThreeAndKeepsItsRows()
    {
        var path = _temp.File("v2.db");
        using (var connection = Open(path))
        {
            connection.Execute(VersionTwoSchema);
            connection.Execute(
                "INSERT INTO prompts (id, namespace, kind, model, provider, messages, completions, inference_on, inference_seconds, " +
                "input_tokens, output_tokens, stream, time_to_first_token_seconds, tags) " +
                "VALUES ('00000000-0000-7000-8000-000000000002', 'ns', 'chat', 'gpt-4.1', 'openai', '[{\"role\":\"user\",\"content\":\"old\"}]', " +
                "'[{\"role\":\"assistant\",\"content\":\"reply\"}]', 1745360143.533253, 1.272673, 21, 50, 1, 0.25, '[\"exp-1\"]')");
        }

        using (var logger = new PromptLogger("ns", "sqlite:///" + path))
        {
            logger.ExportChatPrompts(_temp.File("chat.jsonl"));
        }

        var chat = Jsonl.Read(_temp.File("chat.jsonl")).Single();
        Assert.That(chat.GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo("old"));
        Assert.That(chat.GetProperty("usage").GetRawText(), Is.EqualTo("""{"input_tokens":21,"output_tokens":50}"""));
        Assert.That(chat.GetProperty("stream").GetBoolean(), Is.True);
        Assert.That(chat.GetProperty("tags").GetRawText(), Is.EqualTo("""["exp-1"]"""));
        Assert.That(chat.TryGetProperty("stream_end", out _), Is.False, "how an old stream ended is not known, and not made up");
        using var check = Open(path);
        Assert.That(check.ExecuteScalar<int>("PRAGMA user_version"), Is.EqualTo(Schema.CurrentVersion));
        Assert.That(check.Query<string>("SELECT name FROM pragma_table_info('prompts')"),
            Is.SupersetOf(new[] { "response_model", "response_id", "system_fingerprint", "stream_end" }));
    }

    [TestCase(true, TestName = "NewerDatabase_MarkedAsPromptLoggers_IsRefusedNamingBothVersionsAndLeftUnchanged")]
    [TestCase(false, TestName = "NewerDatabase_UnmarkedWithOurTables_IsRefusedNamingBothVersionsAndLeftUnchanged")]
    public void NewerDatabase_IsRefusedNamingBothVersionsAndLeftUnchanged(bool marked)
    {
        // What a newer PromptLogger writes: today's tables, and more (steps only ever add).
        var path = _temp.File("newer.db");
        using (var connection = Open(path))
        {
            connection.Execute(string.Join("\n", Schema.Steps));
            connection.Execute("ALTER TABLE prompts ADD COLUMN future TEXT; CREATE TABLE future (x); PRAGMA user_version = 99;");
            if (marked)
            {
                connection.Execute($"PRAGMA application_id = {SqliteFileCheck.ApplicationId}");
            }
        }

        var before = Hash(path);

        var exception = Assert.Throws<UnsupportedSchemaVersionException>(() => new PromptLogger("ns", "sqlite:///" + path));

        Assert.That(exception!.FoundVersion, Is.EqualTo(99));
        Assert.That(exception.SupportedVersion, Is.EqualTo(Schema.CurrentVersion));
        Assert.That(exception.Message, Does.Contain("99").And.Contain(Schema.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain(path));
        Assert.That(Hash(path), Is.EqualTo(before));
    }

    [Test]
    public void FileThatIsNotADatabase_IsRefusedAndLeftUnchanged()
    {
        var path = _temp.File("notes.db");
        File.WriteAllText(path, new string('x', 4096));

        var exception = Assert.Throws<InvalidOperationException>(() => new PromptLogger("ns", "sqlite:///" + path));

        Assert.That(exception!.Message, Does.Contain("is not a SQLite database").And.Contain(path));
        Assert.That(File.ReadAllText(path), Is.EqualTo(new string('x', 4096)));
    }

    [Test]
    public void PostgresSchema_HasOneStepForEverySqliteStep()
    {
        // A version number must mean the same tables and columns in either store.
        Assert.That(PostgresSchema.Steps, Has.Length.EqualTo(Schema.Steps.Length));
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
