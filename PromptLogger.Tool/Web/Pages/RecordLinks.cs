namespace PromptLogging.Tool.Web.Pages;

/// <summary>The URLs of the pages, every stored value in them escaped (an id is text like any other).</summary>
public static class RecordLinks
{
    public static string Record(string id) => "/records/" + Uri.EscapeDataString(id);

    public static string Conversation(string id, string? @namespace) =>
        "/conversations/" + Uri.EscapeDataString(id) + (string.IsNullOrEmpty(@namespace) ? string.Empty : "?namespace=" + Uri.EscapeDataString(@namespace));

    public static string Records(string name, string value, string? @namespace) =>
        "/records?" + (string.IsNullOrEmpty(@namespace) ? string.Empty : "namespace=" + Uri.EscapeDataString(@namespace) + "&") + name + "=" + Uri.EscapeDataString(value);
}
