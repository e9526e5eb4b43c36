using System.Text.Json;

namespace PromptLogging.Storage;

/// <summary>The tags of a stored <c>tags</c> column (a JSON array of strings), one by one, for the <c>prompt_tags</c> rows.</summary>
internal static class TagList
{
    /// <summary>The array's string elements, each once, in order; anything else in it is skipped.</summary>
    public static List<string> Read(byte[]? tagsJson)
    {
        var tags = new List<string>();
        if (tagsJson is not { Length: > 0 })
        {
            return tags;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(tagsJson, new JsonReaderOptions { MaxDepth = Json.JsonColumn.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return tags;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    var tag = reader.GetString()!;
                    if (seen.Add(tag))
                    {
                        tags.Add(tag);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not an array of strings after all: the tags stay in the row, unindexed.
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-16 once unescaped: likewise.
        }

        return tags;
    }
}
