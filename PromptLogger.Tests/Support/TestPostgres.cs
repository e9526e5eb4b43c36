using Npgsql;
using PromptLogging.PostgreSql;
using PromptLogging.Storage;

namespace PromptLogging.Tests.Support;

/// <summary>
/// The PostgreSQL server the tests may use, named by <see cref="UrlVariable"/> (.ci/run starts one and sets it).
/// Without it, PostgreSQL cases are skipped with <see cref="SkipReason"/>, which .ci/run refuses to see.
/// </summary>
public static class TestPostgres
{
    public const string UrlVariable = "PROMPTLOGGER_TEST_POSTGRES_URL";

    /// <summary>Unique on purpose: .ci/run fails when it finds this text in the test results.</summary>
    public const string SkipReason = "PostgreSQL cases need PROMPTLOGGER_TEST_POSTGRES_URL (set by .ci/run)";

    /// <summary>The server URL (any database on it, usually <c>postgres</c>), or skips the test.</summary>
    public static string ServerUrl()
    {
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            Skip.Because(SkipReason);
        }

        return url!;
    }

    /// <summary><paramref name="serverUrl"/> with its database replaced by <paramref name="database"/>, parameters kept.</summary>
    public static string WithDatabase(string serverUrl, string database)
    {
        var start = serverUrl.IndexOf("://", StringComparison.Ordinal) + 3;
        var query = serverUrl.IndexOf('?', StringComparison.Ordinal);
        var end = query < 0 ? serverUrl.Length : query;
        var slash = serverUrl.IndexOf('/', start);
        var authorityEnd = slash < 0 || slash > end ? end : slash;
        return serverUrl[..authorityEnd] + "/" + database + serverUrl[end..];
    }

    /// <summary>Creates an empty database with a fresh name; returns its URL.</summary>
    public static string CreateDatabase(string serverUrl, out string name)
    {
        name = "pl_test_" + Guid.NewGuid().ToString("N")[..16];
        using var admin = OpenServer(serverUrl);
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
        command.ExecuteNonQuery();
        return WithDatabase(serverUrl, name);
    }

    public static void DropDatabase(string serverUrl, string name)
    {
        using var admin = OpenServer(serverUrl);
        // FORCE: a child process killed mid-test may leave a session behind.
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        command.ExecuteNonQuery();
    }

    /// <summary>A connection to the database a URL names, as the tests' own eyes (not through PromptLogger).</summary>
    public static NpgsqlConnection Open(string url)
    {
        var connection = new NpgsqlConnection(NpgsqlConnectionString.For(DatabaseUrl.Parse(url)));
        connection.Open();
        return connection;
    }

    private static NpgsqlConnection OpenServer(string serverUrl) => Open(serverUrl);
}
