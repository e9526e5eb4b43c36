using System.Globalization;
using System.Xml.Linq;
using PromptLogging.Tool.Web.Charts;
using PromptLogging.Tool.Web.Overview;
using PromptLogging.Tool.Web.Report;

namespace PromptLogging.Tests.Web;

/// <summary>The charts' SVG holds the real values: bars in proportion, axis ticks and labels, tooltips, and a table of the same numbers.</summary>
public sealed class ChartTests
{
    [Test]
    public async Task BarChart_DrawsBarsInProportion_WithTicksTooltipsAndATable()
    {
        var html = await ComponentHtml.RenderAsync<BarChart>(new Dictionary<string, object?>
        {
            [nameof(BarChart.Title)] = "Tokens per model",
            [nameof(BarChart.Categories)] = new[] { "gpt-4.1", "gpt-4o" },
            [nameof(BarChart.Series)] = new[] { new ChartSeries("Input", [400, 100]), new ChartSeries("Output", [200, null]) },
            [nameof(BarChart.Format)] = (Func<double, string>)OverviewFormat.Count,
            [nameof(BarChart.WholeNumbers)] = true,
        });
        var figure = Parse(html);
        var svg = figure.Descendants("svg").Single();

        Assert.That(svg.Attribute("role")?.Value, Is.EqualTo("img"));
        Assert.That(svg.Attribute("aria-label")?.Value, Does.StartWith("Tokens per model"));
        var bars = svg.Descendants("rect").Where(r => r.Attribute("data-value") is not null).ToList();
        Assert.That(bars.Select(b => b.Attribute("data-value")!.Value), Is.EqualTo(new[] { "400", "200", "100" }));
        var widths = bars.Select(b => Number(b, "width")).ToList();
        Assert.That(widths[1] / widths[0], Is.EqualTo(0.5).Within(0.01), "bar widths in proportion to the values");
        Assert.That(widths[2] / widths[0], Is.EqualTo(0.25).Within(0.01));
        Assert.That(bars.Select(b => b.Element("title")!.Value), Is.EqualTo(new[] { "gpt-4.1, Input: 400", "gpt-4.1, Output: 200", "gpt-4o, Input: 100" }));
        var ticks = svg.Descendants("text").Where(t => Class(t) == "tick-label").Select(t => t.Value).ToList();
        Assert.That(ticks, Is.EqualTo(new[] { "0", "100", "200", "300", "400" }));
        Assert.That(svg.Descendants("text").Where(t => Class(t) == "category-label").Select(t => t.Value), Is.EqualTo(new[] { "gpt-4.1", "gpt-4o" }));
        Assert.That(svg.Descendants("g").Where(g => Class(g) == "bar missing").Single().Value, Does.Contain("—"), "an unknown value is a mark, not a bar of 0");

        var rows = figure.Descendants("table").Single().Element("tbody")!.Elements("tr").Select(r => r.Elements().Select(c => c.Value).ToArray()).ToList();
        Assert.That(rows, Is.EqualTo(new[] { new[] { "gpt-4.1", "400", "200" }, new[] { "gpt-4o", "100", "—" } }));
    }

    [Test]
    public async Task DayChart_PlacesDaysOnATimeAxis_WithColumnsInProportion()
    {
        var days = new[] { new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 4) };
        var html = await ComponentHtml.RenderAsync<DayChart>(new Dictionary<string, object?>
        {
            [nameof(DayChart.Title)] = "Calls per day",
            [nameof(DayChart.Days)] = days,
            [nameof(DayChart.Series)] = new[] { new ChartSeries("Calls", [6, 3, 12]), new ChartSeries("Errors", [1, 0, 0]) },
            [nameof(DayChart.Format)] = (Func<double, string>)OverviewFormat.Count,
            [nameof(DayChart.WholeNumbers)] = true,
        });
        var svg = Parse(html).Descendants("svg").Single();

        var columns = svg.Descendants("rect").Where(r => Class(r) == "series series-0" && r.Attribute("data-value") is not null).ToList();
        Assert.That(columns.Select(c => c.Attribute("data-value")!.Value), Is.EqualTo(new[] { "6", "3", "12" }));
        var heights = columns.Select(c => Number(c, "height")).ToList();
        Assert.That(heights[0] / heights[2], Is.EqualTo(0.5).Within(0.01));
        var xs = columns.Select(c => Number(c, "x")).ToList();
        Assert.That((xs[2] - xs[1]) / (xs[1] - xs[0]), Is.EqualTo(2).Within(0.01), "a day without calls is a gap on the axis");
        Assert.That(columns[0].Element("title")!.Value, Is.EqualTo("2026-03-01: 6 calls, 1 errors"));
        Assert.That(svg.Descendants("rect").Count(r => Class(r) == "series series-1" && r.Attribute("data-value") is not null), Is.EqualTo(1), "no column of 0 errors");
        var labels = svg.Descendants("text").Where(t => Class(t) == "tick-label").Select(t => t.Value).ToList();
        Assert.That(labels, Is.EqualTo(new[] { "0", "5", "10", "15", "2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04" }), "value ticks to a round top, then every day of the span");
    }

    [TestCase(0, true, 1, 1)]
    [TestCase(7, true, 8, 2)]
    [TestCase(12, true, 15, 5)]
    [TestCase(0.0034, false, 0.004, 0.001)]
    [TestCase(980, true, 1000, 200)]
    public void ChartScale_EndsOnARoundTop(double max, bool whole, double top, double step)
    {
        var scale = ChartScale.For(max, whole);

        Assert.That(scale.Top, Is.EqualTo(top).Within(1e-12));
        Assert.That(scale.Step, Is.EqualTo(step).Within(1e-12));
    }

    private static XElement Parse(string html) => XElement.Parse(html);

    private static string? Class(XElement element) => element.Attribute("class")?.Value;

    private static double Number(XElement element, string attribute) =>
        double.Parse(element.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);
}
