using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PromptLogging.Json;
using PromptLogging.Storage;
using PromptLogging.Writing;

namespace PromptLogging.Import;

/// <summary>What a line of the seed's export format holds.</summary>
internal enum SeedLineKind
{
    Chat,
    Text,
    Model,
}

/// <summary>
/// Reads one line of the seed's export format (DESIGN.md, "Export formats") — a chat prompt, a text prompt or a model, as
/// <c>export</c> or the Python package writes them — back into the record it was exported from.
/// </summary>
/// <remarks>
/// <para>
/// A prompt line is read through the columns' own description (<see cref="PromptColumns"/>): each exported column is
/// taken from the field of its name (the usage columns from <c>usage</c>), so a column added later is imported as soon
/// as it is exported. The record is then checked as a spool line is (<see cref="Spool.Parse"/>): every JSON column one
/// JSON value of its kind, every field of its type; a line that fails is refused whole.
/// </para>
/// <para>
/// The line's <c>id</c> is the record's id, so importing a line twice stores it once; a line without one gets an id
/// derived from its bytes, which holds the same promise. A line without a namespace takes the one it is given.
/// </para>
/// </remarks>
internal static class SeedLine
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = JsonColumn.MaxDepth };

    private static readonly string[] ChatOnly = ["messages", "completions", "tools", "generation_kwargs", "usage"];

    /// <summary>What a line's object is, from its fields; null when it is none of the seed's lines.</summary>
    public static SeedLineKind? Classify(JsonElement line)
    {
        if (line.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (line.TryGetProperty("prompt", out _) || line.TryGetProperty("response", out _))
        {
            return SeedLineKind.Text;
        }

        if (ChatOnly.Any(name => line.TryGetProperty(name, out _)) || line.TryGetProperty("inference_on", out _))
        {
            return SeedLineKind.Chat;
        }

        return line.TryGetProperty("name", out _) && line.TryGetProperty("created", out _) ? SeedLineKind.Model : null;
    }

    /// <summary>Reads <paramref name="line"/> (UTF-8 JSON) as a line of kind <paramref name="kind"/>, or of the kind its fields say.</summary>
    /// <param name="line">The line's bytes.</param>
    /// <param name="defaultNamespace">The namespace of a line that names none.</param>
    /// <param name="kind">What the line is known to be (a line built from a database), or null to tell from its fields.</param>
    /// <param name="item">The record.</param>
    /// <param name="problem">Why the line is not a record.</param>
    public static bool TryRead(byte[] line, string defaultNamespace, SeedLineKind? kind, out ImportItem item, out string? problem)
    {
        item = default;
        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            problem = "not UTF-8";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, DocumentOptions);
        }
        catch (JsonException)
        {
            problem = "not JSON, or cut short";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "not a JSON object";
                return false;
            }

            kind ??= Classify(root);
            if (kind is null)
            {
                problem = "neither a prompt nor a model";
                return false;
            }

            if (!TryText(root, "id", out var id) || !TryText(root, "namespace", out var @namespace))
            {
                problem = "its id or namespace is not a string";
                return false;
            }

            id ??= DerivedId(line);
            @namespace ??= defaultNamespace;
            return kind == SeedLineKind.Model
                ? TryModel(root, id, @namespace, out item, out problem)
                : TryPrompt(root, id, @namespace, kind.Value, out item, out problem);
        }
    }

    private static bool TryPrompt(JsonElement root, string id, string @namespace, SeedLineKind kind, out ImportItem item, out string? problem)
    {
        item = default;
        if (!root.TryGetProperty("inference_on", out var on) || on.ValueKind != JsonValueKind.Number)
        {
            problem = "no inference_on time";
            return false;
        }

        var exportKind = kind == SeedLineKind.Chat ? ExportKinds.Chat : ExportKinds.Text;
        var usage = root.TryGetProperty("usage", out var found) && found.ValueKind == JsonValueKind.Object ? found : (JsonElement?)null;
        var spoolLine = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(spoolLine, JsonDefaults.Writer with { MaxDepth = JsonColumn.MaxDepth }))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", kind == SeedLineKind.Chat ? PromptRecord.ChatKind : PromptRecord.TextKind);
            writer.WriteString("id", id);
            writer.WriteString("namespace", @namespace);
            foreach (var column in PromptColumns.All)
            {
                if (column.Export == ExportStyle.None || !column.ExportIn.HasFlag(exportKind) ||
                    column == PromptColumns.Id || column == PromptColumns.Namespace)
                {
                    continue;
                }

                JsonElement value = default;
                var present = column.Export == ExportStyle.Usage
                    ? usage is { } counts && counts.TryGetProperty(column.Name, out value)
                    : root.TryGetProperty(column.Name, out value);
                if (!present || value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                writer.WritePropertyName(column.Name);
                if (column.Type == ColumnType.Json)
                {
                    // A spool line holds a JSON column as a string: the value's own text, checked again when parsed.
                    writer.WriteStringValue(value.GetRawText());
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        if (Spool.Parse(Encoding.UTF8.GetString(spoolLine.WrittenSpan)) is not { } record)
        {
            problem = "a field is not of its type (or a JSON field not one JSON value of its kind)";
            return false;
        }

        item = ImportItem.Of(record);
        problem = null;
        return true;
    }

    private static bool TryModel(JsonElement root, string id, string @namespace, out ImportItem item, out string? problem)
    {
        item = default;
        if (!TryText(root, "name", out var name) || name is null)
        {
            problem = "a model without a name";
            return false;
        }

        if (!root.TryGetProperty("created", out var created) || !created.TryGetDouble(out var seconds) || !double.IsFinite(seconds))
        {
            problem = "a model without its created time";
            return false;
        }

        if (!TryText(root, "version", out var version) || !TryText(root, "provider", out var provider) || !TryText(root, "description", out var description))
        {
            problem = "a field is not a string";
            return false;
        }

        item = ImportItem.Of(new ModelRecord
        {
            Id = id,
            Namespace = @namespace,
            Name = name,
            Version = version,
            Provider = provider,
            Description = description,
            Created = seconds,
        });
        problem = null;
        return true;
    }

    /// <summary>A string field: its value (null when absent, null or empty); false when it is there but not a string.</summary>
    private static bool TryText(JsonElement root, string name, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString();
        if (value!.Length == 0)
        {
            value = null;
        }

        return true;
    }

    /// <summary>An id for a line without one, the same every time the line is read: a hash of its bytes, shaped as a UUID.</summary>
    private static string DerivedId(byte[] line)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(line, hash);
        return new Guid(hash[..16]).ToString();
    }
}
