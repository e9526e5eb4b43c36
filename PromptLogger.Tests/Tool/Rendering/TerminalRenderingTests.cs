using PromptLogging.Stats;
using PromptLogging.Storage.Search;
using PromptLogging.Tool.Rendering;

namespace PromptLogging.Tests.Tool.Rendering;

/// <summary>What a terminal gets from <c>search</c> and <c>stats</c>: colours of the tool's own, never a stored escape sequence.</summary>
public sealed class TerminalRenderingTests
{
    private const string Hostile = "\u001b[2J\u001b]0;pwned\u0007 \u202Eevil[/] [red]markup[/] \u009b31m";
    private static readonly OutputStyle Colour = new(true, true, 120);

    [Test]
    public void SearchView_OnATerminal_HighlightsTheMatch_AndShowsStoredEscapesAsText()
    {
        var hit = new SearchHit("id-1", "default", Hostile, 1_700_000_000, $"before {SearchHit.MatchStart}evil{SearchHit.MatchEnd} {Hostile}");
        using var output = new StringWriter();

        SearchView.Write(output, Colour, [hit]);

        var text = output.ToString();
        AssertNoStoredEscape(text);
        Assert.That(text.Contains("\u001b[", StringComparison.Ordinal), Is.True, "the tool's own colours");
        Assert.That(text, Does.Contain("[/] [red]markup[/]"), "markup in stored text is shown, not applied");
    }

    [Test]
    public void StatsView_OnATerminal_ShowsStoredEscapesInAGroupAsText()
    {
        var group = new StatsGroup(Hostile, 3, 1, 10, 20, 0.5m, 0, [1, 2, 3], null);
        using var output = new StringWriter();

        StatsView.Write(output, Colour, StatsGrouping.Model, [group]);

        AssertNoStoredEscape(output.ToString());
        Assert.That(output.ToString(), Does.Contain("model").And.Contain("33.3"));
    }

    [Test]
    public void SearchView_OnATerminalWithoutColour_MarksTheMatchWithBrackets()
    {
        var hit = new SearchHit("id-1", "default", "gpt-4.1", 0, $"a {SearchHit.MatchStart}word{SearchHit.MatchEnd} here");
        using var output = new StringWriter();

        SearchView.Write(output, new OutputStyle(true, false, 120), [hit]);

        Assert.That(output.ToString(), Does.Contain("  a [word] here"));
        Assert.That(output.ToString().Contains('\u001b', StringComparison.Ordinal), Is.False, "NO_COLOR: no colour");
    }

    [Test]
    public void StatsView_OnATerminal_KeepsALongGroupNameOnOneLine()
    {
        var group = new StatsGroup("claude-sonnet-4-5-20250929", 3, 1, 10, 20, 0.5m, 0, [1, 2, 3], [0.1, 0.2]);
        using var output = new StringWriter();

        StatsView.Write(output, new OutputStyle(true, false, 100), StatsGrouping.Model, [group]);

        Assert.That(output.ToString(), Does.Contain("claude-sonnet-4-5-20250929"));
    }

    [Test]
    public void SearchView_Redirected_IsPlainText()
    {
        var hit = new SearchHit("id-1", "default", "gpt-4.1", 0, $"a {SearchHit.MatchStart}word{SearchHit.MatchEnd}\nnext\tline {Hostile}");
        using var output = new StringWriter();

        SearchView.Write(output, OutputStyle.Plain, [hit]);

        Assert.That(output.ToString(), Does.StartWith("id-1\t1970-01-01 00:00:00\tdefault\tgpt-4.1\ta [word] next line "));
        Assert.That(output.ToString().Count(c => c == '\n'), Is.EqualTo(1));
        AssertNoStoredEscape(output.ToString());
        Assert.That(output.ToString().Contains('\u001b', StringComparison.Ordinal), Is.False, "no escape at all when redirected");
    }

    [Test]
    public void CompareView_OnATerminal_ColoursTheDiff_AndShowsStoredEscapesInRepliesAsText()
    {
        var a = new PromptLogging.Tool.Compare.ComparedCall("id-a", Hostile, 1.5, 10, 20, 0.001m, "stop", null, "The weather is sunny today.");
        var b = a with { Id = "id-b", Reply = "The weather is " + Hostile + " today." };
        var comparison = new PromptLogging.Tool.Compare.Comparison(Hostile, "b", PromptLogging.Tool.Compare.PairedBy.ReplayOf, [PromptLogging.Tool.Compare.ComparedPair.Of(a, b)], 1, 1);
        using var output = new StringWriter();

        CompareView.Write(output, Colour, comparison);

        var text = output.ToString();
        AssertNoStoredEscape(text);
        Assert.That(text.Contains("msunny", StringComparison.Ordinal), Is.True, "the removed word coloured: a colour sequence just before it");
        Assert.That(text, Does.Contain("tokens out").And.Contain("0 of 1 replies identical.").And.Contain("paired by replay_of"));
    }

    private static void AssertNoStoredEscape(string text)
    {
        foreach (var raw in new[] { "\u001b[2J", "\u001b]0;", "\u0007", "\u202E", "\u009b" })
        {
            Assert.That(text.Contains(raw, StringComparison.Ordinal), Is.False, $"{(int)raw[0]:X} reached the output raw: {text}");
        }

        Assert.That(text, Does.Contain("\\x1B[2J"), "the stored escape shown as text");
    }
}
