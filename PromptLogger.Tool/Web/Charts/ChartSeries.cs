namespace PromptLogging.Tool.Web.Charts;

/// <summary>
/// One series of a chart: its name (legend, tooltips, table header) and a value a category; null where the value is
/// not known (drawn as no bar, shown as the chart's missing mark).
/// </summary>
/// <param name="Name">The series' name.</param>
/// <param name="Values">One value a category, in the categories' order.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<double?> Values);
