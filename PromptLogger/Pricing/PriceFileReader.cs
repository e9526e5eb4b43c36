using System.Globalization;
using System.Text.Json;

namespace PromptLogging.Pricing;

/// <summary>
/// Reads a price table file. Every mistake is an <see cref="InvalidDataException"/> whose message names the file, the
/// line, the entry and what is wrong, because the file is written by hand.
/// </summary>
/// <remarks>
/// Shape: <c>{ "taken_on": "YYYY-MM-DD", "sources": { "openai": "url" }, "notes": ["…"], "models": [ { "model": "gpt-4o",
/// "provider": "openai", "effective_from": "YYYY-MM-DD", "input": 2.5, "cached_input": 1.25, "output": 10,
/// "long_context": { "above_input_tokens": 200000, "input": …, "cached_input": …, "output": … }, "note": "…" } ] }</c>.
/// Only <c>models</c>, and in each entry <c>model</c>, <c>input</c> and <c>output</c>, are required. Comments and trailing
/// commas are allowed; unknown properties are not (a misspelt price must not be silently ignored).
/// </remarks>
internal sealed class PriceFileReader
{
    private static readonly JsonReaderOptions s_options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    private readonly byte[] _utf8;
    private readonly string _source;
    private string _entry = "the file";

    private PriceFileReader(byte[] utf8, string source)
    {
        _utf8 = utf8;
        _source = source;
    }

    /// <exception cref="InvalidDataException">The text is not a valid price table.</exception>
    public static PriceTable Read(byte[] utf8, string source)
    {
        var reader = new PriceFileReader(utf8, source);
        try
        {
            return reader.ReadTable();
        }
        catch (JsonException e)
        {
            // The reader counts lines and columns from 0 and appends them to its message; say them once, from 1.
            var where = e.LineNumber is { } line ? $", line {line + 1}, column {e.BytePositionInLine + 1}" : "";
            var what = e.Message;
            var suffix = what.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw new InvalidDataException($"The price table {source}{where} is not valid JSON: {(suffix > 0 ? what[..suffix] : what)}", e);
        }
    }

    private PriceTable ReadTable()
    {
        var json = new Utf8JsonReader(_utf8, s_options);
        if (_utf8.AsSpan().StartsWith("\uFEFF"u8))
        {
            json = new Utf8JsonReader(_utf8.AsSpan(3), s_options);
        }

        if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(ref json, "the file must be one JSON object with a \"models\" list");
        }

        DateOnly? takenOn = null;
        List<ModelPrice>? models = null;
        while (NextProperty(ref json) is { } name)
        {
            switch (name)
            {
                case "taken_on":
                    takenOn = ReadDate(ref json, name);
                    break;
                case "sources":
                    SkipObjectOfStrings(ref json, name);
                    break;
                case "notes":
                    SkipNotes(ref json, name);
                    break;
                case "models":
                    models = ReadModels(ref json);
                    break;
                default:
                    throw Fail(ref json, $"unknown property {Quote(name)}; the file may have \"taken_on\", \"sources\", \"notes\" and \"models\"");
            }
        }

        if (json.Read())
        {
            throw Fail(ref json, "there is more after the end of the JSON object");
        }

        if (models is null)
        {
            throw new InvalidDataException($"The price table {_source} has no \"models\" list: give one, e.g. \"models\": [{{ \"model\": \"gpt-4o\", \"input\": 2.5, \"output\": 10 }}].");
        }

        return new PriceTable(models, takenOn, _source);
    }

    private List<ModelPrice> ReadModels(ref Utf8JsonReader json)
    {
        json.Read();
        if (json.TokenType != JsonTokenType.StartArray)
        {
            throw Fail(ref json, "\"models\" must be a list of entries");
        }

        var models = new List<ModelPrice>();
        var seen = new HashSet<(string, DateOnly?)>();
        for (var index = 0; json.Read() && json.TokenType != JsonTokenType.EndArray; index++)
        {
            _entry = $"models[{index}]";
            var entry = ReadEntry(ref json);
            if (!seen.Add((entry.Model.ToUpperInvariant(), entry.EffectiveFrom)))
            {
                throw Fail(ref json, $"{Quote(entry.Model)} is already priced from {(entry.EffectiveFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "the beginning")} by an earlier entry");
            }

            models.Add(entry);
        }

        _entry = "the file";
        return models;
    }

    private ModelPrice ReadEntry(ref Utf8JsonReader json)
    {
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(ref json, "an entry must be an object such as { \"model\": \"gpt-4o\", \"input\": 2.5, \"output\": 10 }");
        }

        string? model = null, provider = null, note = null;
        DateOnly? effectiveFrom = null;
        decimal? input = null, cachedInput = null, output = null;
        LongContextPrices? longContext = null;
        while (NextProperty(ref json) is { } name)
        {
            switch (name)
            {
                case "model":
                    model = ReadString(ref json, name);
                    if (string.IsNullOrWhiteSpace(model) || model.Trim() != model || model.Any(char.IsControl))
                    {
                        throw Fail(ref json, $"\"model\" is {Quote(model)}; give a model name without surrounding spaces or control characters, such as \"gpt-4o\"");
                    }

                    _entry += $" ({Quote(model)})";
                    break;
                case "provider":
                    provider = ReadString(ref json, name);
                    break;
                case "note":
                    note = ReadString(ref json, name);
                    break;
                case "effective_from":
                    effectiveFrom = ReadDate(ref json, name);
                    break;
                case "input":
                    input = ReadPrice(ref json, name);
                    break;
                case "cached_input":
                    cachedInput = ReadPrice(ref json, name, nullable: true);
                    break;
                case "output":
                    output = ReadPrice(ref json, name);
                    break;
                case "long_context":
                    longContext = ReadLongContext(ref json);
                    break;
                default:
                    throw Fail(ref json, $"unknown property {Quote(name)}; an entry may have \"model\", \"provider\", \"effective_from\", \"input\", \"cached_input\", \"output\", \"long_context\" and \"note\"");
            }
        }

        if (model is null || input is null || output is null)
        {
            var missing = model is null ? "model" : input is null ? "input" : "output";
            throw Fail(ref json, $"\"{missing}\" is missing; every entry needs \"model\", \"input\" and \"output\" (USD per 1M tokens)");
        }

        return new ModelPrice
        {
            Model = model,
            Provider = provider,
            EffectiveFrom = effectiveFrom,
            Prices = new TokenPrices(input.Value, cachedInput, output.Value),
            LongContext = longContext,
            Note = note,
        };
    }

    private LongContextPrices ReadLongContext(ref Utf8JsonReader json)
    {
        json.Read();
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(ref json, "\"long_context\" must be an object such as { \"above_input_tokens\": 200000, \"input\": 2.5, \"output\": 15 }");
        }

        long? above = null;
        decimal? input = null, cachedInput = null, output = null;
        while (NextProperty(ref json) is { } name)
        {
            switch (name)
            {
                case "above_input_tokens":
                    json.Read();
                    if (json.TokenType != JsonTokenType.Number || !json.TryGetInt64(out var tokens) || tokens < 1)
                    {
                        throw Fail(ref json, "\"long_context.above_input_tokens\" must be a whole number of tokens, at least 1");
                    }

                    above = tokens;
                    break;
                case "input":
                    input = ReadPrice(ref json, "long_context.input");
                    break;
                case "cached_input":
                    cachedInput = ReadPrice(ref json, "long_context.cached_input", nullable: true);
                    break;
                case "output":
                    output = ReadPrice(ref json, "long_context.output");
                    break;
                default:
                    throw Fail(ref json, $"unknown property {Quote("long_context." + name)}; it may have \"above_input_tokens\", \"input\", \"cached_input\" and \"output\"");
            }
        }

        if (above is null || input is null || output is null)
        {
            var missing = above is null ? "above_input_tokens" : input is null ? "input" : "output";
            throw Fail(ref json, $"\"long_context.{missing}\" is missing; \"long_context\" needs \"above_input_tokens\", \"input\" and \"output\"");
        }

        return new LongContextPrices(above.Value, new TokenPrices(input.Value, cachedInput, output.Value));
    }

    /// <summary>Moves to the next property of the current object and returns its name; null at the object's end.</summary>
    private static string? NextProperty(ref Utf8JsonReader json)
    {
        json.Read();
        return json.TokenType == JsonTokenType.EndObject ? null : json.GetString();
    }

    private decimal? ReadPrice(ref Utf8JsonReader json, string name, bool nullable = false)
    {
        json.Read();
        if (nullable && json.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (json.TokenType != JsonTokenType.Number || !json.TryGetDecimal(out var price))
        {
            throw Fail(ref json, $"\"{name}\" must be a number: USD per 1M tokens{(nullable ? ", or null" : "")}");
        }

        if (price < 0)
        {
            throw Fail(ref json, $"\"{name}\" is {price.ToString(CultureInfo.InvariantCulture)}; a price (USD per 1M tokens) cannot be negative");
        }

        return price;
    }

    private string ReadString(ref Utf8JsonReader json, string name)
    {
        json.Read();
        return json.TokenType == JsonTokenType.String
            ? json.GetString()!
            : throw Fail(ref json, $"{Quote(name)} must be a string");
    }

    private DateOnly ReadDate(ref Utf8JsonReader json, string name)
    {
        var text = ReadString(ref json, name);
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Fail(ref json, $"\"{name}\" is {Quote(text)}; give a date as YYYY-MM-DD");
    }

    private void SkipObjectOfStrings(ref Utf8JsonReader json, string name)
    {
        json.Read();
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(ref json, $"\"{name}\" must be an object of strings, such as {{ \"openai\": \"https://…\" }}");
        }

        while (NextProperty(ref json) is { } key)
        {
            ReadString(ref json, $"{name}.{key}");
        }
    }

    private void SkipNotes(ref Utf8JsonReader json, string name)
    {
        json.Read();
        if (json.TokenType == JsonTokenType.String)
        {
            return;
        }

        if (json.TokenType != JsonTokenType.StartArray)
        {
            throw Fail(ref json, $"\"{name}\" must be a string or a list of strings");
        }

        while (json.Read() && json.TokenType != JsonTokenType.EndArray)
        {
            if (json.TokenType != JsonTokenType.String)
            {
                throw Fail(ref json, $"\"{name}\" must be a string or a list of strings");
            }
        }
    }

    private InvalidDataException Fail(ref Utf8JsonReader json, string what)
    {
        var entry = _entry == "the file" ? "" : $", {_entry}";
        return new InvalidDataException($"The price table {_source}, line {LineOf(json.TokenStartIndex)}{entry}: {what}.");
    }

    // Text from the file goes into messages that reach terminals and logs: JSON-escaped (control characters, quotes)
    // and cut short.
    private static string Quote(string text) =>
        "\"" + JsonEncodedText.Encode(text.Length > 80 ? text[..80] + "…" : text).ToString() + "\"";

    private int LineOf(long byteIndex)
    {
        var upTo = (int)Math.Min(byteIndex, _utf8.Length);
        return _utf8.AsSpan(0, upTo).Count((byte)'\n') + 1;
    }
}
