namespace PromptLogging.Storage;

/// <summary>
/// Opens the stores of one kind of database server whose driver only its package brings (PostgreSQL: Npgsql, in
/// <c>PromptLogger.PostgreSql</c>), so that an application logging into SQLite restores no driver it does not use.
/// </summary>
/// <remarks>
/// The core finds a provider by the name of its package (see <see cref="StoreProviders"/>): the package declares it
/// with <see cref="StoreProviderAttribute"/>. Providers are stateless and thread-safe, made once per process. The
/// package ships with the core and depends on its exact version, so this contract is internal and may change with it.
/// </remarks>
internal abstract class StoreProvider
{
    /// <summary>Creates the store for <paramref name="url"/>, without connecting (the logger opens it).</summary>
    /// <param name="url">A URL of the provider's kind.</param>
    /// <param name="commandTimeout">How long a command of the writer may run before it is abandoned; null for the default.</param>
    /// <param name="paramName">The argument the URL came from, for an <see cref="ArgumentException"/>.</param>
    /// <exception cref="ArgumentException">A parameter of the URL is one the driver does not take, or has a value it cannot use.</exception>
    public abstract PromptStore Create(DatabaseUrl url, TimeSpan? commandTimeout, string paramName);
}
