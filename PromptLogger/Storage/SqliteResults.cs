using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PromptLogging.Storage;

/// <summary>Result codes of the SQLite calls PromptLogger makes through SQLitePCL directly.</summary>
internal static class SqliteResults
{
    /// <summary>Throws the <see cref="SqliteException"/> Microsoft.Data.Sqlite would have thrown for <paramref name="result"/>.</summary>
    public static void ThrowIfFailed(int result, sqlite3 db)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, db);
        }
    }
}
