using Microsoft.Data.Sqlite;
using PromptLogging.Storage;
using SQLitePCL;

namespace PromptLogging.Export;

/// <summary>
/// The rows of an export query straight from SQLite: each text column is a view of SQLite's own UTF-8 buffer, not
/// a copy. A million-row export reads ten million columns; through <see cref="SqliteDataReader"/> each was an array.
/// </summary>
internal sealed class SqlitePromptRows : PromptRows
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqlitePromptRows(SqliteConnection connection, string sql, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        try
        {
            foreach (var (name, value) in parameters)
            {
                var index = raw.sqlite3_bind_parameter_index(_statement, "@" + name);
                if (index == 0)
                {
                    throw new ArgumentException($"The export query has no parameter @{name}.", nameof(parameters));
                }

                Check(raw.sqlite3_bind_text(_statement, index, value));
            }
        }
        catch
        {
            _statement.Dispose();
            throw;
        }
    }

    public override bool Read()
    {
        var result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_ROW)
        {
            return true;
        }

        if (result != raw.SQLITE_DONE)
        {
            Check(result);
        }

        return false;
    }

    // A NULL column has no bytes, so it reads as empty without asking for its type first.
    public override ReadOnlySpan<byte> Utf8(int ordinal) => raw.sqlite3_column_blob(_statement, ordinal);

    public override double? Double(int ordinal) =>
        raw.sqlite3_column_type(_statement, ordinal) == raw.SQLITE_NULL ? null : raw.sqlite3_column_double(_statement, ordinal);

    public override long? Long(int ordinal) =>
        raw.sqlite3_column_type(_statement, ordinal) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int64(_statement, ordinal);

    public override void Dispose() => _statement.Dispose();

    private void Check(int result) => SqliteResults.ThrowIfFailed(result, _db);
}
