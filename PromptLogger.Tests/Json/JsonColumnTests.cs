using System.Text.Json;
using PromptLogging.Json;

namespace PromptLogging.Tests.Json;

/// <summary>What <see cref="JsonColumn"/> lets into a JSON column, and in what form.</summary>
[TestFixture]
public sealed class JsonColumnTests
{
    [TestCase("""[{"role":"user","content":"hi"}]""", """[{"role":"user","content":"hi"}]""", TestName = "Compact JSON is kept as it is")]
    [TestCase("[\n {\"role\" : \"user\",\r\n\t\"content\":\"a\\nb\"} ]\n", """[{"role":"user","content":"a\nb"}]""", TestName = "Line breaks between tokens are removed")]
    [TestCase("""["é \u00e9 \u2028"]""", "[\"é é \\u2028\"]", TestName = "Text stays readable, and line separators stay escaped")]
    [TestCase("""[1.50,1e3,-0]""", """[1.50,1e3,-0]""", TestName = "Numbers keep their text")]
    public void AValidValueOfTheExpectedKind_IsReEncodedCompactly(string text, string expected)
    {
        Assert.That(JsonColumn.TryNormalize(text, JsonValueKind.Array, out var normalized), Is.True);
        Assert.That(normalized, Is.EqualTo(expected));
        Assert.That(normalized, Does.Not.Contain("\n").And.Not.Contain("\r"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("null")]
    [TestCase(" null ")]
    public void NothingOrNull_LeavesTheColumnEmpty(string? text)
    {
        Assert.That(JsonColumn.TryNormalize(text, JsonValueKind.Object, out var normalized), Is.True);
        Assert.That(normalized, Is.Null);
    }

    [TestCase("""[1]}""" + "\n" + """{"id":"INJECTED"}""", TestName = "A second value after the first is refused")]
    [TestCase("""[1] [2]""", TestName = "Two values are refused")]
    [TestCase("""[1""", TestName = "A value cut short is refused")]
    [TestCase("""{"a":1}""", TestName = "Another kind of value is refused")]
    [TestCase("\"[1]\"", TestName = "A string holding JSON is refused")]
    [TestCase("""[1,]""", TestName = "A trailing comma is refused")]
    [TestCase("""[1] // comment""", TestName = "A comment is refused")]
    public void AnythingElse_IsRefused(string text)
    {
        Assert.That(JsonColumn.TryNormalize(text, JsonValueKind.Array, out var normalized), Is.False);
        Assert.That(normalized, Is.Null);
    }

    [Test]
    public void ALoneSurrogate_IsRefused()
    {
        Assert.That(JsonColumn.TryNormalize("[\"" + (char)0xD800 + "\"]", JsonValueKind.Array, out _), Is.False);
    }

    [Test]
    public void NestingDeeperThanAnyPrompt_IsRefused()
    {
        Assert.That(JsonColumn.TryNormalize(new string('[', 300) + new string(']', 300), JsonValueKind.Array, out _), Is.False);
        Assert.That(JsonColumn.TryNormalize(new string('[', 200) + new string(']', 200), JsonValueKind.Array, out _), Is.True);
    }
}
