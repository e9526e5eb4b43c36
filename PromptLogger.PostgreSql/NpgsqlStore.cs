using System.Data.Common;
using Dapper;
using Npgsql;
using PromptLogging.Storage;

namespace PromptLogging.PostgreSql;

/// <summary>
/// The driver's part of a PostgreSQL store: opens Npgsql connections, writes batches with binary COPY
/// (<see cref="PostgresBatchInserter"/>), and tells the driver's errors apart (a wrong store, or one merely unavailable).
/// The schema, its migration and the spool folder are the core's <see cref="PostgresStore"/>.
/// </summary>
/// <remarks>
/// The connection string that carries the password goes to Npgsql only; messages name the database by its URL with
/// the password masked (<see cref="DatabaseUrl.Redacted"/>).
/// </remarks>
internal sealed class NpgsqlStore : PostgresStore
{
    private readonly string _connectionString;
    private readonly string _writeConnectionString;

    /// <exception cref="ArgumentException">A parameter of the URL is one Npgsql does not take, or has a value it cannot use.</exception>
    public NpgsqlStore(DatabaseUrl url, TimeSpan? commandTimeout = null, string paramName = "database")
        : base(url)
    {
        _connectionString = NpgsqlConnectionString.For(url, paramName);
        // Every command of the writer (the COPY of a batch included) is abandoned after this: a server that accepts
        // the connection but does not answer, or a table locked by another session, must not hold the writer.
        // Readers (exports) keep the driver's default: a long export is not a hung server.
        _writeConnectionString = new NpgsqlConnectionStringBuilder(_connectionString)
        {
            CommandTimeout = (int)Math.Ceiling((commandTimeout ?? DefaultCommandTimeout).TotalSeconds),
        }.ConnectionString;
    }

    public override NpgsqlConnection OpenForWriting() => Open(_writeConnectionString);

    /// <summary>Opens a read-only session; a missing database or an unreachable server is an <see cref="IOException"/>.</summary>
    public override NpgsqlConnection OpenForReading()
    {
        NpgsqlConnection connection;
        try
        {
            connection = Open(_connectionString);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            throw new IOException($"database not found: {DisplayName} ({exception.MessageText})", exception);
        }
        catch (NpgsqlException exception)
        {
            throw new IOException($"cannot connect to {DisplayName}: {exception.Message}", exception);
        }

        try
        {
            // An export reads; the server refuses any write it might attempt by mistake.
            connection.Execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public override IBatchInserter CreateInserter(DbConnection connection) => new PostgresBatchInserter((NpgsqlConnection)connection);

    public override Exception? AsWrongStore(Exception exception)
    {
        if (exception is not PostgresException postgres)
        {
            return null;
        }

        var why = postgres.SqlState switch
        {
            PostgresErrorCodes.InvalidCatalogName => "the database does not exist; PromptLogger creates tables, not databases: create it first",
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => "the server refused the user or password",
            PostgresErrorCodes.InsufficientPrivilege => "the user may not create or write PromptLogger's tables there",
            _ => null,
        };
        return why is null
            ? null
            : new InvalidOperationException($"Cannot log into {DisplayName}: {why} ({postgres.MessageText}).", exception);
    }

    public override bool IsUnavailable(Exception exception) =>
        exception is NpgsqlException or IOException or TimeoutException or System.Net.Sockets.SocketException;

    private static NpgsqlConnection Open(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
