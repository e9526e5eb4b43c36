using PromptLogging.PostgreSql;

namespace PromptLogging.Tests.Storage;

public sealed class PostgresBatchInserterTests
{
    // Built in code: a lone surrogate in an attribute argument does not survive compilation.
    // Named by hand: test names with lone surrogates in them collide in the runner.
    private static readonly TestCaseData[] Cases =
    [
        new TestCaseData("plain text, 你好 🌍", "plain text, 你好 🌍").SetArgDisplayNames("plain"),
        new TestCaseData("nul \0 inside", "nul \uFFFD inside").SetArgDisplayNames("nul"),
        new TestCaseData("lone " + '\uD800' + " high", "lone \uFFFD high").SetArgDisplayNames("lone high surrogate"),
        new TestCaseData("lone " + '\uDC00' + " low", "lone \uFFFD low").SetArgDisplayNames("lone low surrogate"),
        new TestCaseData("pair \uD83C\uDF0D kept", "pair \uD83C\uDF0D kept").SetArgDisplayNames("surrogate pair"),
        new TestCaseData("end " + '\uD83C', "end \uFFFD").SetArgDisplayNames("high surrogate at the end"),
    ];

    [TestCaseSource(nameof(Cases))]
    public void Storable_ReplacesWhatPostgresTextCannotHoldAndKeepsTheRest(string text, string stored)
    {
        Assert.That(PostgresBatchInserter.Storable(text), Is.EqualTo(stored));
    }
}
