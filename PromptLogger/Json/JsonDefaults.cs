using System.Text.Encodings.Web;
using System.Text.Json;

namespace PromptLogging.Json;

/// <summary>The one set of JSON writer settings used for stored columns and exports.</summary>
internal static class JsonDefaults
{
    /// <summary>
    /// Compact, UTF-8 text kept as it is (no <c>\uXXXX</c> for non-ASCII), so that stored JSON is readable with
    /// SQLite's JSON functions and exports are what a person expects to read. Quotes, backslashes and control
    /// characters are still escaped, so the output is always valid JSON.
    /// </summary>
    public static readonly JsonWriterOptions Writer = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };
}
