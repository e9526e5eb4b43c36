using System.Text;
using System.Text.Json;

namespace PromptLogging.Storage.Search;

/// <summary>
/// A prompt's searchable text read from its stored JSON, as <see cref="SearchSchema.SqliteJsonText"/> reads it in
/// SQLite: every string under a <c>content</c> or <c>text</c> key, at any depth, one a line.
/// </summary>
internal static class SearchText
{
    /// <summary>The request (messages, or a text prompt) and the reply (completions, or a text response), joined by a line.</summary>
    public static string Of(byte[]? messages, byte[]? completions, string? prompt, string? response)
    {
        var text = new StringBuilder();
        AppendJson(text, messages);
        Append(text, prompt);
        AppendJson(text, completions);
        Append(text, response);
        return text.ToString();
    }

    private static void Append(StringBuilder text, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.Append(value).Append('\n');
        }
    }

    /// <summary>Appends the column's strings; a value that is not valid JSON adds nothing, as in SQLite.</summary>
    private static void AppendJson(StringBuilder text, byte[]? json)
    {
        if (json is null || json.Length == 0)
        {
            return;
        }

        var found = new StringBuilder();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
            var wanted = false;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        wanted = reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("text"u8);
                        continue;
                    case JsonTokenType.String when wanted:
                        found.Append(reader.GetString()).Append('\n');
                        break;
                }

                wanted = false;
            }
        }
        catch (JsonException)
        {
            return;
        }

        text.Append(found);
    }
}
