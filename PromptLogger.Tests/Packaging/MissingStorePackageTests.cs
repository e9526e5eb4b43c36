using PromptLogging.PostgreSql;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Packaging;

/// <summary>
/// The core finds the PostgreSQL store in PromptLogger.PostgreSql by the package's name, with nothing to register;
/// an application without the package fails where the URL is given — the logger's constructor, the command line —
/// naming the package to add, never starting a logger that cannot write.
/// </summary>
[TestFixture]
public sealed class MissingStorePackageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    // The packages an application without PromptLogger.PostgreSql lacks: the package and the driver only it brings.
    private static readonly string[] PostgreSqlPackages = ["PromptLogger.PostgreSql", "Npgsql"];

    // Port 9 (discard) refuses at once: with the package, a logger starts anyway (and spools), so a failure is the package's.
    private const string PostgresUrl = "postgresql://app:Zq9-pw@127.0.0.1:9/prompts?connect_timeout=1";

    [Test]
    public void ALoggerOnAPostgresUrl_WithoutThePackage_FailsAtTheConstructorNamingThePackageToAdd()
    {
        using var folder = new TempFolder();
        var host = ChildProcess.SiblingDll("PromptLogger.TestHost", "PromptLogger.TestHost");
        var withoutPackage = AppWithoutPackages.Copy(host, folder, PostgreSqlPackages);

        var (exitCode, stdout, stderr) = ChildProcess.Run(withoutPackage, Timeout, "open-database", PostgresUrl);
        var (sqliteExitCode, sqliteStdout, sqliteStderr) = ChildProcess.Run(withoutPackage, Timeout, "open-database", folder.DatabaseUrl());
        var (withPackageExitCode, withPackageStdout, withPackageStderr) = ChildProcess.Run(host, Timeout, "open-database", PostgresUrl);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, stdout + stderr);
            Assert.That(stdout, Does.StartWith("PromptLogger cannot log into postgresql://app:***@127.0.0.1:9/prompts"));
            Assert.That(stdout, Does.Contain("add PromptLogger.PostgreSql (dotnet add package PromptLogger.PostgreSql)"));
            Assert.That(stdout + stderr, Does.Not.Contain("Zq9"), "the message shows no password");
            Assert.That(sqliteExitCode, Is.EqualTo(1), "the copy without the package still logs into SQLite: " + sqliteStdout + sqliteStderr);
            Assert.That(sqliteStdout, Does.StartWith("opened sqlite:///"));
            Assert.That(withPackageExitCode, Is.EqualTo(1), "with the package the same URL opens (and spools): " + withPackageStdout + withPackageStderr);
            Assert.That(withPackageStdout, Does.StartWith("opened postgresql://app:***@127.0.0.1:9/prompts"));
        });
    }

    [Test]
    public void TheCommandLine_WithoutThePackage_ExitsOneNamingThePackageToAdd()
    {
        using var folder = new TempFolder();
        var tool = ChildProcess.SiblingDll("PromptLogger.Tool", "prompt-logger");
        var withoutPackage = AppWithoutPackages.Copy(tool, folder, PostgreSqlPackages);
        var output = folder.File("out.jsonl");

        var (exitCode, stdout, stderr) = ChildProcess.Run(withoutPackage, Timeout, "export", "prompts", output, "-d", PostgresUrl);
        var (withPackageExitCode, _, withPackageStderr) = ChildProcess.Run(tool, Timeout, "export", "prompts", output, "-d", PostgresUrl);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), stdout + stderr);
            Assert.That(stderr, Does.Contain("PromptLogger cannot log into postgresql://app:***@127.0.0.1:9/prompts"));
            Assert.That(stderr, Does.Contain("add PromptLogger.PostgreSql (dotnet add package PromptLogger.PostgreSql)"));
            Assert.That(stdout + stderr, Does.Not.Contain("Zq9"));
            Assert.That(File.Exists(output), Is.False, "nothing was written");
            Assert.That(withPackageExitCode, Is.EqualTo(1), "the tool ships the package: it reaches the server, which refuses");
            Assert.That(withPackageStderr, Does.Contain("cannot connect to postgresql://app:***@127.0.0.1:9/prompts").And.Not.Contain("dotnet add package"));
        });
    }

    [Test]
    public void ThePostgreSqlStore_IsFoundByItsPackageName()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StoreProviders.PackageFor(DatabaseKind.PostgreSql), Is.EqualTo("PromptLogger.PostgreSql"));
            Assert.That(StoreProviders.PackageFor(DatabaseKind.Sqlite), Is.Null, "SQLite is the core's");
            Assert.That(StoreProviders.ForPackage("PromptLogger.PostgreSql"), Is.TypeOf<NpgsqlStoreProvider>());
            Assert.That(StoreProviders.ForPackage("PromptLogger.NoSuchStore"), Is.Null);
            Assert.That(PromptStore.Create(DatabaseUrl.Parse("postgres://app@db.example/team")), Is.TypeOf<NpgsqlStore>());
        });
    }
}
