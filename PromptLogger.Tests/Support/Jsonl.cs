using System.Text;
using System.Text.Json;

namespace PromptLogging.Tests.Support;

/// <summary>Reads JSONL exports back, checking the framing on the way.</summary>
public static class Jsonl
{
    /// <summary>Parses every line of <paramref name="path"/>; fails on a BOM, CRLF or a missing final newline.</summary>
    public static List<JsonElement> Read(string path)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        return Parse(bytes);
    }

    public static List<JsonElement> Parse(byte[] bytes)
    {
        Assert.That(bytes.Take(3).SequenceEqual(new byte[] { 0xEF, 0xBB, 0xBF }), Is.False, "JSONL must be UTF-8 without a BOM");
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        if (text.Length == 0)
        {
            return [];
        }

        Assert.That(text, Does.EndWith("\n"), "every line ends with \\n");
        Assert.That(text, Does.Not.Contain("\r"), "lines end with \\n, not \\r\\n");
        return text[..^1].Split('\n').Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }

    /// <summary>The property names of an object, in order.</summary>
    public static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();
}
