using PromptLogging.Tool.Browsing;

namespace PromptLogging.Tool.Web.Server;

/// <summary>
/// Opens the database read-only for one request (a <see cref="ReadSession"/>: SQLite opened read-only, PostgreSQL
/// through its pool); the server never holds a connection between requests, so a logger writing meanwhile is never
/// kept waiting by it.
/// </summary>
internal sealed class StoreAccess(string database)
{
    public ReadSession Open() => ReadSession.Open(database);
}
