using System.Data.Common;
using PromptLogging.Storage;

namespace PromptLogging.Tool.Browsing;

/// <summary>
/// A read-only connection to a database for the verbs that look at it (list, show, namespaces, models): never creates
/// a database or its tables; a missing one is an error.
/// </summary>
internal sealed class ReadSession : IDisposable
{
    private ReadSession(PromptStore store, DbConnection connection)
    {
        Store = store;
        Connection = connection;
    }

    public PromptStore Store { get; }

    public DbConnection Connection { get; }

    /// <exception cref="ArgumentException">The URL is malformed.</exception>
    /// <exception cref="IOException">The database does not exist.</exception>
    public static ReadSession Open(string database)
    {
        var store = PromptStore.Create(DatabaseUrl.Parse(database));
        var connection = store.OpenForReading();
        try
        {
            store.EnsureReadable(connection);
            return new ReadSession(store, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose() => Connection.Dispose();
}
