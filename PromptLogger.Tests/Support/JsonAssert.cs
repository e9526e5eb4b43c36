using System.Text.Json.Nodes;

namespace PromptLogging.Tests.Support;

/// <summary>Compares exported JSON with expected JSON written as text.</summary>
internal static class JsonAssert
{
    public static void AreEqual(string expectedJson, JsonNode? actual, string? because = null) =>
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), actual), Is.True,
            $"{because}{Environment.NewLine}expected: {JsonNode.Parse(expectedJson)?.ToJsonString()}{Environment.NewLine}actual:   {actual?.ToJsonString()}");

    public static string[] Keys(JsonObject json) => [.. json.Select(static p => p.Key)];
}
