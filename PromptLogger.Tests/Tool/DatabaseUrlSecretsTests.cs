using PromptLogging.Tests.Support;
using PromptLogging.Tool;

namespace PromptLogging.Tests.Tool;

/// <summary>A password in a malformed <c>--database</c> URL never reaches standard error.</summary>
public sealed class DatabaseUrlSecretsTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("postgresql//app:Zq9-pw@127.0.0.1:9/db")]
    [TestCase("postgresql:/app:Zq9-pw@127.0.0.1:9/db")]
    [TestCase("postgres:app:Zq9-pw@127.0.0.1:9/db")]
    [TestCase("app:Zq9-pw@127.0.0.1:9/db")]
    [TestCase("app:Zq9@pw:x@127.0.0.1:9/db")]
    [TestCase("postgresql//app:Zq9%40pw@127.0.0.1:9/db")]
    [TestCase("Host=127.0.0.1;Port=9;Username=app;Password=Zq9-pw;Database=db")]
    [TestCase("postgresql://app@127.0.0.1:9/db?sslpassword=Zq9-pw&bogus=1")]
    [TestCase("postgresql://app:Zq9-pw@127.0.0.1:9/db?password=x")]
    public void ExportAndImport_WithAMalformedDatabaseUrl_FailWithTheUrlMasked(string url)
    {
        // The spool file exists, so that import gets as far as the database URL.
        File.WriteAllText(_temp.File("spool.jsonl"), string.Empty);
        foreach (var verb in new[] { new[] { "export", "prompts", _temp.File("out.jsonl") }, ["import", _temp.File("spool.jsonl")] })
        {
            var result = PromptLoggerCommand.Run([.. verb, "-d", url]);

            Assert.That(result.ExitCode, Is.EqualTo(ExitCode.Usage).Or.EqualTo(ExitCode.Failure), result.ToString());
            Assert.That(result.Error, Does.Contain("***"), result.ToString());
            Assert.That(result.Error + result.Out, Does.Not.Contain("Zq9"));
        }
    }

    [Test]
    public void Export_AsAProcess_WithAMalformedDatabaseUrl_PrintsNoPassword()
    {
        var result = PromptLoggerCommand.RunProcess(_temp.Path, "export", "prompts", "out.jsonl", "-d", "postgresql//app:Zq9-pw@127.0.0.1:9/db");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCode.Usage).Or.EqualTo(ExitCode.Failure), result.ToString());
        Assert.That(result.Error, Does.Contain("postgresql//app:***@127.0.0.1:9/db").And.Contain("postgresql://"));
        Assert.That(result.Error + result.Out, Does.Not.Contain("Zq9"));
    }

    [Test]
    public void WriteError_MasksAUrlOrConnectionStringInAnyMessage()
    {
        using var stderr = new StringWriter();
        var console = new ToolConsole(TextWriter.Null, stderr, Stream.Null);

        console.WriteError("cannot connect to 'postgresql//app:Zq9-pw@db/x' (Host=db;Password=Zq9-pw;Port=5432): refused");

        Assert.That(stderr.ToString(), Does.Not.Contain("Zq9"));
        Assert.That(stderr.ToString(), Does.Contain("'postgresql//app:***@db/x'").And.Contain("Password=***;Port=5432"));
    }
}
