using PromptLogging.PostgreSql;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Storage;

public sealed class DatabaseUrlTests
{
    [Test]
    public void Parse_OfARelativeUrl_ResolvesAgainstTheWorkingFolder()
    {
        var url = DatabaseUrl.Parse("sqlite:///data/my_prompts.db");

        Assert.That(url.FilePath, Is.EqualTo(Path.Combine(Environment.CurrentDirectory, "data", "my_prompts.db")));
    }

    [Test]
    public void Parse_OfAnAbsoluteUrl_KeepsTheAbsolutePath()
    {
        var url = DatabaseUrl.Parse("sqlite:////tmp/some/prompts.db");

        Assert.That(url.FilePath, Is.EqualTo("/tmp/some/prompts.db"));
    }

    [TestCase("", "empty")]
    [TestCase("   ", "empty")]
    [TestCase("prompts.db", "no scheme")]
    [TestCase("sqlite://prompts.db", "three slashes")]
    [TestCase("sqlite:/prompts.db", "no scheme")]
    [TestCase("mysql://user@host/db", "'mysql' is not supported")]
    [TestCase("sqlite:///", "names no file")]
    [TestCase("sqlite:///prompts.db?mode=ro", "query parameters")]
    [TestCase("sqlite:///bad\0name.db", "cannot be in a path")]
    public void Parse_OfABadUrl_ThrowsArgumentExceptionNamingTheUrlAndTheAcceptedForms(string text, string why)
    {
        var exception = Assert.Throws<ArgumentException>(() => DatabaseUrl.Parse(text));

        Assert.That(exception!.Message, Does.Contain(why));
        Assert.That(exception.Message, Does.Contain("sqlite:///relative/path.db").And.Contain("sqlite:////absolute/path.db"));
        if (!string.IsNullOrWhiteSpace(text))
        {
            Assert.That(exception.Message, Does.Contain(text.Replace("\0", "\0", StringComparison.Ordinal)));
        }
    }

    [Test]
    public void Parse_OfAUrlNamingAFolder_ThrowsArgumentException()
    {
        using var temp = new TempFolder();

        var exception = Assert.Throws<ArgumentException>(() => DatabaseUrl.Parse("sqlite:///" + temp.Path));

        Assert.That(exception!.Message, Does.Contain("names a folder"));
    }

    [Test]
    public void PromptLogger_WithAMalformedUrl_ThrowsArgumentExceptionAndCreatesNothing()
    {
        using var temp = new TempFolder();
        var before = Directory.GetFileSystemEntries(temp.Path);

        Assert.That(() => new PromptLogger("ns", "postgres-ish:" + temp.File("x.db")), Throws.ArgumentException.With.Message.Contain("accepted forms"));
        Assert.That(Directory.GetFileSystemEntries(temp.Path), Is.EqualTo(before));
    }

    [TestCase("postgresql://alice:s3cret@db.example.com:6543/prompts", "db.example.com", 6543, "prompts", "alice", "s3cret")]
    [TestCase("postgres://alice:s3cret@db.example.com/prompts", "db.example.com", 5432, "prompts", "alice", "s3cret")]
    [TestCase("postgresql://bob@127.0.0.1/team", "127.0.0.1", 5432, "team", "bob", null)]
    [TestCase("postgresql://al%40ce:p%2Fss%3Aw%40rd@[::1]:5433/my%20db", "::1", 5433, "my db", "al@ce", "p/ss:w@rd")]
    [TestCase("POSTGRESQL://u:pa@ss@host/db", "host", 5432, "db", "u", "pa@ss")]
    public void Parse_OfAPostgresUrl_BuildsTheConnectionStringFromItsParts(string text, string host, int port, string database, string user, string? password)
    {
        var url = DatabaseUrl.Parse(text);

        Assert.That(url.Kind, Is.EqualTo(DatabaseKind.PostgreSql));
        Assert.That(url.FilePath, Is.Null);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(NpgsqlConnectionString.For(url));
        Assert.That(builder.Host, Is.EqualTo(host));
        Assert.That(builder.Port, Is.EqualTo(port));
        Assert.That(builder.Database, Is.EqualTo(database));
        Assert.That(builder.Username, Is.EqualTo(user));
        Assert.That(builder.Password, Is.EqualTo(password));
    }

    [Test]
    public void Parse_OfAPostgresUrl_PassesItsParametersThrough()
    {
        var url = DatabaseUrl.Parse("postgresql://u:p@h/db?sslmode=require&application_name=my%20app&connect_timeout=9&Search%20Path=team");

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(NpgsqlConnectionString.For(url));
        Assert.That(builder.SslMode, Is.EqualTo(Npgsql.SslMode.Require));
        Assert.That(builder.ApplicationName, Is.EqualTo("my app"));
        Assert.That(builder.Timeout, Is.EqualTo(9));
        Assert.That(builder.SearchPath, Is.EqualTo("team"));
    }

    [TestCase("postgresql://u:hunter2@h/db?bogus=1", "'bogus'")]
    [TestCase("postgresql://u:hunter2@h/db?sslmode=sometimes", "'sslmode'")]
    [TestCase("postgresql://u:hunter2@h/db?password=x", "'password'")]
    [TestCase("postgresql://u:hunter2@h", "names no database")]
    [TestCase("postgresql://u:hunter2@h:port/db", "malformed host or port")]
    [TestCase("postgresql://u:hunter2@h:0/db", "malformed host or port")]
    [TestCase("postgresql://u:hunter/2@h/db", "")]
    [TestCase("postgresql://u:hun?ter2@h/db", "")]
    public void Parse_OfABadPostgresUrl_ThrowsArgumentExceptionWithoutThePassword(string text, string why)
    {
        var exception = Assert.Throws<ArgumentException>(() => ParseAndCreateStore(text));

        Assert.That(exception!.Message, Does.Contain(why).And.Contain("postgresql://user:password@host:port/database"));
        Assert.That(exception.Message, Does.Not.Contain("hunter").And.Not.Contain("ter2"));
        Assert.That(exception.Message, Does.Contain("u:***@"));
    }

    [TestCase("postgresql://alice:s3cret@db/prompts", "postgresql://alice:***@db/prompts")]
    [TestCase("postgresql://alice@db/prompts", "postgresql://alice@db/prompts")]
    [TestCase("postgresql://alice:p%40ss@db:5432/prompts?sslmode=require", "postgresql://alice:***@db:5432/prompts?sslmode=require")]
    [TestCase("sqlite:///prompts.db", "sqlite:///prompts.db")]
    public void Redacted_MasksThePasswordAndToStringIsRedacted(string text, string shown)
    {
        var url = DatabaseUrl.Parse(text);

        Assert.That(url.Redacted, Is.EqualTo(shown));
        Assert.That(url.ToString(), Is.EqualTo(shown));
        Assert.That($"{url}", Is.EqualTo(shown));
    }

    [Test]
    public void PromptLogger_Database_IsTheUrlWithThePasswordMasked()
    {
        // Port 9 (discard) refuses at once: the logger starts anyway and spools, so this needs no server.
        using var logger = new PromptLogger(new PromptLoggerOptions
        {
            Database = "postgresql://alice:s3cret@127.0.0.1:9/prompts?connect_timeout=1",
            Namespace = "ns",
        });

        Assert.That(logger.Database, Is.EqualTo("postgresql://alice:***@127.0.0.1:9/prompts?connect_timeout=1"));
    }

    // Malformed URLs, any scheme or none, passwords with '@', ':', '/' or percent-encoded characters: none may show "Zq9".
    [TestCase("postgresql//app:Zq9-pw@host/db")]
    [TestCase("postgresql:/app:Zq9-pw@host/db")]
    [TestCase("postgresql:app:Zq9-pw@host/db")]
    [TestCase("postgres:/app:Zq9-pw@host:5432/db")]
    [TestCase("postgresq://app:Zq9-pw@host/db")]
    [TestCase("postgres//app:Zq9-pw@host/db")]
    [TestCase("app:Zq9-pw@host/db")]
    [TestCase("//app:Zq9-pw@host/db")]
    [TestCase("mysql://app:Zq9-pw@host/db")]
    [TestCase("http://app:Zq9@pw:x@host/db")]
    [TestCase("postgresql//app:Zq9%40pw%3Ax@host/db")]
    [TestCase("postgresql//app:Zq9@pw:x/y@host/db")]
    [TestCase("app:Zq9/pw?x@host/db")]
    [TestCase("u:p@h://app:Zq9-pw@host/db")]
    [TestCase("postgresql://app:Zq9-pw@host:port/db")]
    [TestCase("postgresql://app:Zq9-pw@host/db?password=Zq9-other")]
    [TestCase("postgresql://app@host/db?sslpassword=Zq9-pw&bogus=1")]
    [TestCase("postgresql://app@host/db?SSL%20Password=Zq9-pw&sslmode=sometimes")]
    [TestCase("Host=host;Username=app;Password=Zq9-pw;Database=db")]
    [TestCase("sqlite:///prompts.db?password=Zq9-pw")]
    [TestCase("sqlite://app:Zq9-pw@host/db")]
    public void Parse_OfAMalformedUrl_NeverShowsThePassword(string text)
    {
        var exception = Assert.Throws<ArgumentException>(() => ParseAndCreateStore(text));
        Assert.That(exception!.Message, Does.Not.Contain("Zq9"));
        Assert.That(exception.Message, Does.Contain("***"), "what was masked is shown as masked");

        var fromLogger = Assert.Throws<ArgumentException>(() => new PromptLogger("ns", text).Dispose());
        Assert.That(fromLogger!.Message, Does.Not.Contain("Zq9"));
    }

    [TestCase("postgresql//app:Zq9-pw@host/db", "a PostgreSQL URL starts with postgresql://")]
    [TestCase("postgresql:/app:Zq9-pw@host/db", "a PostgreSQL URL starts with postgresql://")]
    [TestCase("u:p@h://app:Zq9-pw@host/db", "it has no scheme")]
    public void Parse_OfAMistypedPostgresUrl_SaysWhatIsWrong(string text, string why)
    {
        var exception = Assert.Throws<ArgumentException>(() => DatabaseUrl.Parse(text));

        Assert.That(exception!.Message, Does.Contain(why));
    }

    [TestCase("postgresql://alice:s3cret@db/prompts?sslpassword=pem-Zq9&sslmode=require",
        "postgresql://alice:***@db/prompts?sslpassword=***&sslmode=require")]
    [TestCase("postgresql://alice@db/prompts?SSL%20Password=pem-Zq9&sslkey=%2Fk.pem&Keepalive=5",
        "postgresql://alice@db/prompts?SSL%20Password=***&sslkey=***&Keepalive=5")]
    [TestCase("postgresql://alice@db/prompts?SslPassword=pem-Zq9", "postgresql://alice@db/prompts?SslPassword=***")]
    public void Redacted_MasksEverySecretParameter(string text, string shown)
    {
        var url = DatabaseUrl.Parse(text);

        Assert.That(url.Redacted, Is.EqualTo(shown));
        Assert.That(new Npgsql.NpgsqlConnectionStringBuilder(NpgsqlConnectionString.For(url)).SslPassword, Is.EqualTo("pem-Zq9").Or.Null, "the driver still gets it");
    }

    [Test]
    public void IsSecretName_CoversEveryNpgsqlKeywordThatHoldsAPassword()
    {
        // Npgsql marks Password with [PasswordPropertyText] but not SSL Password: the rule must cover both, and any
        // keyword a later version marks or names so.
        var keywords = typeof(Npgsql.NpgsqlConnectionStringBuilder).GetProperties()
            .Select(static p => (
                Name: p.GetCustomAttributes(typeof(System.ComponentModel.DisplayNameAttribute), false).OfType<System.ComponentModel.DisplayNameAttribute>().SingleOrDefault()?.DisplayName,
                Password: p.GetCustomAttributes(typeof(System.ComponentModel.PasswordPropertyTextAttribute), false).OfType<System.ComponentModel.PasswordPropertyTextAttribute>().Any(static a => a.Password)))
            .Where(static k => k.Name is not null)
            .ToList();
        var secret = keywords.Where(static k => k.Password || k.Name!.Contains("Password", StringComparison.OrdinalIgnoreCase)).Select(static k => k.Name!).ToList();

        Assert.That(secret, Is.SupersetOf(new[] { "Password", "SSL Password" }));
        Assert.That(secret.Where(static name => !DatabaseUrl.IsSecretName(name)), Is.Empty);
        Assert.That(DatabaseUrl.IsSecretName("Passfile"), Is.False, "a path to a password file is no secret");
        Assert.That(DatabaseUrl.IsSecretName("TCP Keepalive Time"), Is.False);
    }

    [Test]
    public void PromptLogger_DatabaseAndLogLines_ShowNoSecretParameter()
    {
        // Port 9 (discard) refuses at once: the logger reports, naming the database, that it cannot open it now.
        var log = new ListLogger();
        using (var logger = new PromptLogger(new PromptLoggerOptions
        {
            Database = "postgresql://alice:s3cret-Zq9@127.0.0.1:9/prompts?connect_timeout=1&sslpassword=pem-Zq9&sslmode=prefer",
            Namespace = "ns-" + Guid.NewGuid().ToString("N"),
            Logger = log,
        }))
        {
            Assert.That(logger.Database, Is.EqualTo("postgresql://alice:***@127.0.0.1:9/prompts?connect_timeout=1&sslpassword=***&sslmode=prefer"));
        }

        Assert.That(log.Lines, Is.Not.Empty, "the unreachable store was reported");
        Assert.That(log.Lines, Has.Some.Contain("sslpassword=***"), "the log line names the database");
        Assert.That(log.Lines, Has.None.Contain("Zq9"));
    }

    // The core parses the URL; PromptLogger.PostgreSql's driver checks its parameters when it creates the store
    // (without connecting): a bad URL fails at one or the other, as it does at new PromptLogger(...).
    private static PromptStore ParseAndCreateStore(string text) => PromptStore.Create(DatabaseUrl.Parse(text));
}
