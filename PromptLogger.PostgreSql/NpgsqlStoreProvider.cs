using PromptLogging.PostgreSql;
using PromptLogging.Storage;

// The core finds this provider by the package's name when a postgresql:// URL is opened: nothing to register.
[assembly: StoreProvider(typeof(NpgsqlStoreProvider))]

namespace PromptLogging.PostgreSql;

/// <summary>Opens PostgreSQL stores through Npgsql: what the core's <see cref="StoreProviders"/> loads for a <c>postgresql://</c> URL.</summary>
internal sealed class NpgsqlStoreProvider : StoreProvider
{
    public override PromptStore Create(DatabaseUrl url, TimeSpan? commandTimeout, string paramName) =>
        new NpgsqlStore(url, commandTimeout, paramName);
}
