using System.Text.Json.Nodes;
using Dapper;
using PromptLogging.Interception;
using PromptLogging.PostgreSql;
using PromptLogging.Interception.Calls;
using PromptLogging.Recording;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;
using PromptLogging.Writing;

namespace PromptLogging.Tests.Storage;

/// <summary>What is particular to PostgreSQL: its schema table, migrations under a lock, masking, spooling locally.</summary>
public sealed class PostgresStoreTests
{
    // Version 1 as it was released, written out here rather than taken from PostgresSchema.Steps,
    // so that an edit to a released step shows up as a failing test.
    private const string VersionOneSchema = """
        CREATE TABLE promptlogger_schema (version integer NOT NULL);
        INSERT INTO promptlogger_schema VALUES (1);
        CREATE TABLE models (seq bigint GENERATED ALWAYS AS IDENTITY, id text PRIMARY KEY, namespace text NOT NULL,
            name text NOT NULL, version text, provider text, description text, created double precision NOT NULL,
            UNIQUE (namespace, name));
        CREATE TABLE prompts (seq bigint GENERATED ALWAYS AS IDENTITY, id text PRIMARY KEY, namespace text NOT NULL,
            kind text NOT NULL, model text, messages text, generation_kwargs text, completions text, prompt text,
            response text, inference_on double precision NOT NULL, inference_seconds double precision);
        CREATE INDEX ix_prompts_namespace_kind_seq ON prompts (namespace, kind, seq);
        """;

    // Version 2 as it was released: version 1 and the columns PromptLogger added beyond the seed.
    private const string VersionTwoSchema = VersionOneSchema + """

        ALTER TABLE prompts ADD COLUMN provider text;
        ALTER TABLE prompts ADD COLUMN tools text;
        ALTER TABLE prompts ADD COLUMN input_tokens bigint;
        ALTER TABLE prompts ADD COLUMN output_tokens bigint;
        ALTER TABLE prompts ADD COLUMN error text;
        ALTER TABLE prompts ADD COLUMN stream integer NOT NULL DEFAULT 0;
        ALTER TABLE prompts ADD COLUMN time_to_first_token_seconds double precision;
        ALTER TABLE prompts ADD COLUMN tags text;
        UPDATE promptlogger_schema SET version = 2;
        """;

    // Version 3 as it was released: version 2 and what answered, and how a stream ended.
    private const string VersionThreeSchema = VersionTwoSchema + """

        ALTER TABLE prompts ADD COLUMN response_model text;
        ALTER TABLE prompts ADD COLUMN response_id text;
        ALTER TABLE prompts ADD COLUMN system_fingerprint text;
        ALTER TABLE prompts ADD COLUMN stream_end text;
        UPDATE promptlogger_schema SET version = 3;
        """;

    private TestStore _store = null!;

    [SetUp]
    public void SetUp() => _store = TestStore.Create(StoreKind.PostgreSql);

    [TearDown]
    public void TearDown()
    {
        // Also after a skipped SetUp, which leaves no store.
        _store?.Dispose();
        _store = null!;
    }

    [Test]
    public void VersionThreeDatabase_IsMigrated_AndItsTaggedRowsAreSelectedByTag()
    {
        using (var connection = _store.Open())
        {
            connection.Execute(VersionThreeSchema);
            connection.Execute(
                "INSERT INTO prompts (id, namespace, kind, model, messages, inference_on, tags) VALUES " +
                "('00000000-0000-7000-8000-000000000031', 'ns', 'chat', 'gpt-4.1', '[{\"role\":\"user\",\"content\":\"tagged\"}]', 1.5, '[\"exp-1\",\"b\"]'), " +
                "('00000000-0000-7000-8000-000000000032', 'ns', 'chat', 'gpt-4.1', '[{\"role\":\"user\",\"content\":\"bad tags\"}]', 2.5, 'not json'), " +
                "('00000000-0000-7000-8000-000000000033', 'ns', 'chat', 'gpt-4.1', '[{\"role\":\"user\",\"content\":\"untagged\"}]', 3.5, NULL)");
        }

        using (var logger = new PromptLogger("ns", _store.Url))
        {
            Assert.That(logger.ExportChatPrompts(_store.Temp.File("exp.jsonl"), tags: ["exp-1"]), Is.EqualTo(1));
            Assert.That(logger.ExportChatPrompts(_store.Temp.File("all.jsonl")), Is.EqualTo(3), "a row whose tags are not JSON is kept");
        }

        Assert.That(Jsonl.Read(_store.Temp.File("exp.jsonl")).Single().GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo("tagged"));
        using var check = _store.Open();
        Assert.That(check.ExecuteScalar<int>("SELECT version FROM promptlogger_schema"), Is.EqualTo(Schema.CurrentVersion));
    }

    [Test]
    public void NewDatabase_IsCreatedAtTheCurrentVersion()
    {
        using (new PromptLogger("ns", _store.Url))
        {
        }

        using var connection = _store.Open();
        Assert.That(connection.ExecuteScalar<int>("SELECT version FROM promptlogger_schema"), Is.EqualTo(Schema.CurrentVersion));
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM promptlogger_schema"), Is.EqualTo(1));
    }

    [Test]
    public void OlderDatabase_IsMigratedAndKeepsItsRows()
    {
        using (var connection = _store.Open())
        {
            connection.Execute(VersionOneSchema);
            connection.Execute(
                "INSERT INTO prompts (id, namespace, kind, model, messages, completions, inference_on, inference_seconds) " +
                "VALUES ('00000000-0000-7000-8000-000000000001', 'ns', 'chat', 'gpt-4.1', '[{\"role\":\"user\",\"content\":\"old\"}]', " +
                "'[{\"role\":\"assistant\",\"content\":\"reply\"}]', 1745360143.533253, 1.272673)");
            connection.Execute("INSERT INTO models (id, namespace, name, provider, created) VALUES ('m1', 'ns', 'gpt-4.1', 'system', 1744316542.0)");
        }

        using (var logger = new PromptLogger("ns", _store.Url))
        {
            logger.SaveInteraction("new", "row", model: "gpt-4.1");
            logger.ExportChatPrompts(_store.Temp.File("chat.jsonl"));
            logger.ExportTextPrompts(_store.Temp.File("text.jsonl"));
            logger.ExportModels(_store.Temp.File("models.jsonl"));
        }

        var chat = Jsonl.Read(_store.Temp.File("chat.jsonl")).Single();
        Assert.That(chat.GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo("old"));
        Assert.That(chat.GetProperty("inference_on").GetDouble(), Is.EqualTo(1745360143.533253));
        Assert.That(Jsonl.Read(_store.Temp.File("text.jsonl")).Single().GetProperty("prompt").GetString(), Is.EqualTo("new"));
        Assert.That(Jsonl.Read(_store.Temp.File("models.jsonl")).Single().GetProperty("provider").GetString(), Is.EqualTo("system"));
        using var check = _store.Open();
        Assert.That(check.ExecuteScalar<int>("SELECT version FROM promptlogger_schema"), Is.EqualTo(Schema.CurrentVersion));
    }

    [Test]
    public void VersionTwoDatabase_IsMigratedToVersionThreeAndKeepsItsRows()
    {
        using (var connection = _store.Open())
        {
            connection.Execute(VersionTwoSchema);
            connection.Execute(
                "INSERT INTO prompts (id, namespace, kind, model, provider, messages, completions, inference_on, inference_seconds, " +
                "input_tokens, output_tokens, stream, time_to_first_token_seconds, tags) " +
                "VALUES ('00000000-0000-7000-8000-000000000002', 'ns', 'chat', 'gpt-4.1', 'openai', '[{\"role\":\"user\",\"content\":\"old\"}]', " +
                "'[{\"role\":\"assistant\",\"content\":\"reply\"}]', 1745360143.533253, 1.272673, 21, 50, 1, 0.25, '[\"exp-1\"]')");
        }

        using (var logger = new PromptLogger("ns", _store.Url))
        {
            logger.ExportChatPrompts(_store.Temp.File("chat.jsonl"));
        }

        var chat = Jsonl.Read(_store.Temp.File("chat.jsonl")).Single();
        Assert.That(chat.GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo("old"));
        Assert.That(chat.GetProperty("usage").GetRawText(), Is.EqualTo("""{"input_tokens":21,"output_tokens":50}"""));
        Assert.That(chat.GetProperty("stream").GetBoolean(), Is.True);
        Assert.That(chat.TryGetProperty("stream_end", out _), Is.False, "how an old stream ended is not known, and not made up");
        using var check = _store.Open();
        Assert.That(check.ExecuteScalar<int>("SELECT version FROM promptlogger_schema"), Is.EqualTo(Schema.CurrentVersion));
        Assert.That(
            check.Query<string>("SELECT column_name FROM information_schema.columns WHERE table_name = 'prompts' ORDER BY ordinal_position"),
            Is.SupersetOf(new[] { "response_model", "response_id", "system_fingerprint", "stream_end" }));
    }

    [Test]
    public void NewerDatabase_IsRefusedNamingBothVersionsAndLeftUnchanged()
    {
        using (var connection = _store.Open())
        {
            connection.Execute("CREATE TABLE promptlogger_schema (version integer NOT NULL); INSERT INTO promptlogger_schema VALUES (99); CREATE TABLE future (x int);");
        }

        var before = Tables();

        var exception = Assert.Throws<UnsupportedSchemaVersionException>(() => new PromptLogger("ns", _store.Url));

        Assert.That(exception!.FoundVersion, Is.EqualTo(99));
        Assert.That(exception.SupportedVersion, Is.EqualTo(Schema.CurrentVersion));
        Assert.That(exception.Message, Does.Contain("99").And.Contain(_store.Url));
        Assert.That(Tables(), Is.EqualTo(before));
        var result = PromptLoggerCommand.Run("export", "prompts", "-", "-d", _store.Url);
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("schema version 99"));
    }

    [Test]
    public void EightLoggersStartingAtOnceOnANewDatabase_CreateTheSchemaOnceAndAllWrite()
    {
        using var start = new Barrier(8);
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                using var logger = new PromptLogger("ns", _store.Url);
                logger.SaveInteraction("from " + i, "r");
            }
#pragma warning disable CA1031 // collected and asserted on below
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failures.Add(exception);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.That(failures, Is.Empty);
        Assert.That(_store.CountPrompts(), Is.EqualTo(8));
        using var connection = _store.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM promptlogger_schema"), Is.EqualTo(1));
    }

    [Test]
    public void AMissingDatabase_FailsTheConstructorSayingSoWithThePasswordMasked()
    {
        var url = WithPassword(TestPostgres.WithDatabase(TestPostgres.ServerUrl(), "pl_no_such_database"), "hunter2");

        var exception = Assert.Throws<InvalidOperationException>(() => new PromptLogger("ns", url));

        Assert.That(exception!.Message, Does.Contain("does not exist").And.Contain("pl_no_such_database").And.Contain(":***@"));
        Assert.That(exception.ToString(), Does.Not.Contain("hunter2"));
    }

    [Test]
    public void AnUnreachableServer_SpoolsLocallyAndLogsWithoutThePassword()
    {
        // Port 9 (discard) refuses at once: nothing listens there.
        var url = $"postgresql://someone:hunter2@127.0.0.1:9/pl_{Guid.NewGuid():N}?connect_timeout=2";
        var log = new ListLogger();
        var store = new NpgsqlStore(DatabaseUrl.Parse(url));
        try
        {
            using (var logger = new PromptLogger(new PromptLoggerOptions { Namespace = "ns", Database = url, Logger = log }))
            {
                logger.SaveInteraction("p", "r");
                logger.Flush();
                Assert.That(logger.Diagnostics.Spooled, Is.EqualTo(1));
                Assert.That(logger.Database, Does.Not.Contain("hunter2"));
            }

            Assert.That(log.Lines, Is.Not.Empty);
            Assert.That(log.Lines, Has.All.Not.Contain("hunter2"));
            Assert.That(log.Lines, Has.Some.Contain("someone:***@127.0.0.1:9"));
            var folder = Path.GetDirectoryName(store.SpoolPath)!;
            Assert.That(folder, Does.StartWith(PostgresStore.SpoolRoot));
            Assert.That(Directory.GetFiles(folder, "prompts.spool-*.jsonl"), Has.Length.EqualTo(1));
            if (!OperatingSystem.IsWindows())
            {
                Assert.That(File.GetUnixFileMode(folder), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(store.SpoolPath)!, recursive: true);
        }
    }

    [Test]
    public void ASpoolLeftWhileTheServerWasDown_IsReplayedByTheNextLoggerOnce()
    {
        var spool = new Spool(PostgresStore.SpoolPathFor(DatabaseUrl.Parse(_store.Url).Server!));
        using var factory = new PromptRecordFactory("ns", ContentPolicy.Default);
        var records = Enumerable.Range(0, 2_500).Select(i => factory.Create(new CapturedCall(new CallRequest { Kind = CallKind.Text, Prompt = "spooled " + i })
        {
            Outcome = new CallOutcome { Response = "r" },
            StartedAt = DateTimeOffset.UtcNow,
        })).ToList();
        spool.Append(records);
        spool.Append(records.Take(10).ToList()); // a record spooled twice is stored once

        using var logger = new PromptLogger("ns", _store.Url);
        Assert.That(SpinWait.SpinUntil(() => logger.Diagnostics.Replayed > 0, TimeSpan.FromSeconds(15)), Is.True);

        Assert.That(_store.Prompts(), Is.EqualTo(records.Select(r => r.Prompt)), "each once, in the order spooled");
        Assert.That(spool.HasPending, Is.False);
    }

    [Test]
    public void TheSameRecords_ExportTheSameJsonlAsSqliteApartFromIds()
    {
        using var sqlite = TestStore.Create(StoreKind.Sqlite);
        var exports = new[] { sqlite, _store }.Select(store =>
        {
            using var logger = new PromptLogger("team'; DROP TABLE prompts; --", store.Url);
            foreach (var call in TrickyCalls())
            {
                logger.Record(call);
            }

            var files = new[] { "chat", "text", "models", "filtered" }.Select(name => store.Temp.File(name + ".jsonl")).ToArray();
            logger.ExportChatPrompts(files[0]);
            logger.ExportTextPrompts(files[1]);
            logger.ExportModels(files[2]);
            logger.ExportChatPrompts(files[3], models: ["gpt-4.1", "m'odel); --"]);
            return files.Select(f => WithoutIds(File.ReadAllText(f))).ToArray();
        }).ToArray();

        Assert.That(exports[1], Is.EqualTo(exports[0]));
        Assert.That(exports[0][0].Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(3));
        Assert.That(exports[0][3].Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
        Assert.That(_store.CountPrompts(), Is.EqualTo(4), "the tables survived their names being used as data");
    }

    private static IEnumerable<CapturedCall> TrickyCalls()
    {
        var started = DateTimeOffset.FromUnixTimeMilliseconds(1745360143533).AddTicks(2530);
        yield return new CapturedCall(new CallRequest
            {
                Kind = CallKind.Chat,
                Model = "gpt-4.1",
                Provider = "openai",
                Messages = [new CapturedMessage("system", "Be brief."), new CapturedMessage("user", "héllo 你好 🌍 \"quoted\" 'single' \\ back\nline")],
                Tools = [new CapturedTool("get_weather", "Weather", JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}"""))],
                GenerationKwargs = new JsonObject { ["max_tokens"] = 50, ["temperature"] = 0.2 },
            })
        {
            Outcome = new CallOutcome
            {
                Completions = [new CapturedCompletion("assistant", "It is 1e309 and -0.0", "length")],
                Usage = new CapturedUsage(21, 50),
            },
            Stream = true,
            TimeToFirstTokenSeconds = 0.25,
            StartedAt = started,
            Duration = TimeSpan.FromTicks(12726730),
            Context = new CallContext { Tags = ["exp-1", "a,b"] },
        };
        yield return new CapturedCall(new CallRequest
            {
                Kind = CallKind.Chat,
                Model = "m'odel); --",
                Messages = [new CapturedMessage("user", "'); DELETE FROM models; --")],
            })
        {
            Error = "boom: $$ quoted $$",
            StartedAt = started.AddSeconds(1),
            Duration = TimeSpan.FromSeconds(2),
        };
        yield return new CapturedCall(new CallRequest
            {
                Kind = CallKind.Chat,
                Model = "other",
                Messages = [new CapturedMessage("user", "third")],
            })
        {
            StartedAt = started.AddSeconds(2),
        };
        yield return new CapturedCall(new CallRequest { Kind = CallKind.Text, Model = "m'odel", Prompt = "text $1 @namespace ? :p %s" })
        {
            Outcome = new CallOutcome { Response = "r\"'\\" },
            StartedAt = started.AddSeconds(3),
        };
    }

    private static string WithoutIds(string jsonl) =>
        System.Text.RegularExpressions.Regex.Replace(jsonl, "\"id\":\"[0-9a-f-]{36}\",|,\"conversation_id\":\"[0-9a-f-]{36}\"", string.Empty);

    private static string WithPassword(string url, string password)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var at = url.IndexOf('@', start);
        var userInfo = url[start..at];
        var user = userInfo.Split(':')[0];
        return url[..start] + user + ":" + password + url[at..];
    }

    private List<string> Tables()
    {
        using var connection = _store.Open();
        return connection.Query<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1").ToList();
    }
}
