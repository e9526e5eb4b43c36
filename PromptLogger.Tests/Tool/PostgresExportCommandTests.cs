using Dapper;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary>How <c>prompt-logger export</c> fails on a PostgreSQL URL: exit 1, one line, the password masked, nothing created.</summary>
public sealed class PostgresExportCommandTests
{
    private TestStore? _store;

    // Created by the tests that need a server only: an unreachable server needs none.
    private TestStore Store => _store ??= TestStore.Create(StoreKind.PostgreSql);

    [TearDown]
    public void TearDown()
    {
        _store?.Dispose();
        _store = null;
    }

    [Test]
    public void Export_FromADatabaseWithoutPromptLoggerTables_ExitsOneAndCreatesNothing()
    {
        var result = PromptLoggerCommand.Run("export", "prompts", Store.Temp.File("out.jsonl"), "-d", Store.Url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.Contain("no PromptLogger schema in database"));
        Assert.That(File.Exists(Store.Temp.File("out.jsonl")), Is.False);
        using var connection = Store.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"), Is.Zero);
    }

    [Test]
    public void Export_FromAMissingDatabase_ExitsOneNamingItWithThePasswordMasked()
    {
        var url = TestPostgres.WithDatabase(Store.Url, "pl_no_such_database").Replace("@", ":hunter2@", StringComparison.Ordinal);

        var result = PromptLoggerCommand.Run("export", "models", "-", "-d", url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.Contain("database not found").And.Contain("pl_no_such_database").And.Contain(":***@"));
        Assert.That(result.Error, Does.Not.Contain("hunter2"));
    }

    [Test]
    public void Export_FromAnUnreachableServer_ExitsOneWithThePasswordMasked()
    {
        var result = PromptLoggerCommand.Run("export", "prompts", "-", "-d", "postgresql://someone:hunter2@127.0.0.1:9/prompts?connect_timeout=2");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.Contain("cannot connect to postgresql://someone:***@127.0.0.1:9/prompts"));
        Assert.That(result.Error, Does.Not.Contain("hunter2"));
    }
}
