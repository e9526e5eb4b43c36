using PromptLogging.Testing;

namespace PromptLogging.Tests.Support;

/// <summary>
/// A fixture whose every test gets its own OpenAI-compatible server on 127.0.0.1, a SQLite database in a temporary
/// folder and a logger on it (namespace <see cref="LoggerNamespace"/>), all disposed after the test.
/// </summary>
public abstract class ServerAndLoggerFixture
{
    private protected OpenAICompatibleServer Server { get; private set; } = null!;

    private protected TestDatabase Database { get; private set; } = null!;

    private protected PromptLogger Logger { get; private set; } = null!;

    /// <summary>The namespace the logger records under.</summary>
    protected virtual string LoggerNamespace => "my-namespace";

    [SetUp]
    public void StartServerAndLogger()
    {
        Server = OpenAICompatibleServer.Start();
        Database = new TestDatabase();
        Logger = Database.CreateLogger(LoggerNamespace);
    }

    [TearDown]
    public void StopServerAndLogger()
    {
        Logger.Dispose();
        Database.Dispose();
        Server.Dispose();
    }
}
