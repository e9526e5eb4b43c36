using System.Text.Encodings.Web;
using System.Text.Json;

namespace PromptLogging.Tool.Web.Pages;

/// <summary>JSON indented for reading on a page (the page encodes it; nothing here escapes for HTML).</summary>
internal static class PrettyJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(JsonElement element) => JsonSerializer.Serialize(element, Indented);

    /// <summary>Text that holds JSON, indented; any other text as it is.</summary>
    public static string OfText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return text ?? string.Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return Of(document.RootElement);
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
