using System.Data.Common;

namespace PromptLogging.Storage;

/// <summary>
/// The writer's connection to its store, opened (and migrated) on demand and dropped after a failure, so that a
/// store that was locked, deleted, read-only, full or unreachable is simply opened again once it can be.
/// </summary>
/// <remarks>Not thread-safe: owned by the single background writer loop.</remarks>
internal sealed class StoreSession : IDisposable
{
    private readonly PromptStore _store;
    private DbConnection? _connection;
    private IBatchInserter? _inserter;

    /// <summary>Starts with <paramref name="connection"/> when the constructor could open one, else opens later.</summary>
    public StoreSession(PromptStore store, DbConnection? connection)
    {
        _store = store;
        if (connection is not null)
        {
            _connection = connection;
            _inserter = store.CreateInserter(connection);
        }
    }

    public PromptStore Store => _store;

    /// <summary>Inserts one batch in one transaction; on failure the connection is closed, to be reopened next time.</summary>
    public void Insert(IReadOnlyList<PromptRecord> records)
    {
        if (_inserter is not null && !_store.StillExists)
        {
            // Deleted under us: writes would go to an unlinked file and vanish. Start a new one instead.
            Close();
        }

        try
        {
            EnsureOpen().Insert(records);
        }
        catch
        {
            Close();
            throw;
        }
    }

    public void Dispose() => Close();

    private IBatchInserter EnsureOpen()
    {
        if (_inserter is not null)
        {
            return _inserter;
        }

        var connection = _store.OpenForWriting();
        try
        {
            _store.Migrate(connection);
            _inserter = _store.CreateInserter(connection);
            _connection = connection;
            return _inserter;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Close()
    {
        _inserter?.Dispose();
        _inserter = null;
        _connection?.Dispose();
        _connection = null;
    }
}
