namespace PromptLogging.Tool.Web.Pages;

/// <summary>
/// The URLs of the pages, every stored value in them escaped (an id is text like any other). An id that a path
/// segment cannot carry as it is (a slash, a percent sign, a dot segment) goes in the query string instead:
/// <c>/record?id=…</c>, <c>/conversation?id=…</c>.
/// </summary>
public static class RecordLinks
{
    public static string Record(string id) =>
        PathSafe(id) ? "/records/" + Uri.EscapeDataString(id) : "/record?id=" + Uri.EscapeDataString(id);

    public static string Conversation(string id, string? @namespace) =>
        (PathSafe(id) ? "/conversations/" + Uri.EscapeDataString(id) + "?" : "/conversation?id=" + Uri.EscapeDataString(id) + "&")
        + (string.IsNullOrEmpty(@namespace) ? string.Empty : "namespace=" + Uri.EscapeDataString(@namespace));

    public static string Records(string name, string value, string? @namespace) =>
        "/records?" + (string.IsNullOrEmpty(@namespace) ? string.Empty : "namespace=" + Uri.EscapeDataString(@namespace) + "&") + name + "=" + Uri.EscapeDataString(value);

    // Kestrel keeps %2F encoded in a path and browsers resolve dot segments: such ids would not come back as they went.
    private static bool PathSafe(string id) =>
        id.Length > 0 && id is not "." and not ".." && id.IndexOfAny(['/', '\\', '%']) < 0;
}
