using System.Globalization;
using System.Text.Json;
using PromptLogging.Stats;
using Spectre.Console;

namespace PromptLogging.Tool.Rendering;

/// <summary>
/// Prints <c>stats</c> groups: a table on a terminal; redirected, tab-separated lines under a header row (numbers in
/// invariant culture, seconds and dollars unrounded, an empty field where there is no value); <c>--json</c>, one
/// object a group.
/// </summary>
internal static class StatsView
{
    private static readonly string[] Headings =
        ["calls", "errors", "error_rate", "input_tokens", "output_tokens", "estimated_cost_usd", "latency_p50", "latency_p95", "latency_p99", "ttft_p50", "ttft_p95"];

    public static void Write(TextWriter output, OutputStyle style, StatsGrouping grouping, IReadOnlyList<StatsGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(style);
        ArgumentNullException.ThrowIfNull(groups);
        if (!style.Terminal)
        {
            output.Write(string.Join('\t', [grouping.Name(), .. Headings]) + "\n");
            foreach (var group in groups)
            {
                output.Write(string.Join('\t', [RecordText.OneLine(group.Key), .. PlainFields(group)]) + "\n");
            }

            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        // The group's name whole, on one line; the figures give way first.
        table.AddColumn(new TableColumn(grouping.Name()).NoWrap());
        foreach (var heading in new[] { "calls", "errors", "error %", "tokens in", "tokens out", "cost $", "p50 s", "p95 s", "p99 s", "ttft p50", "ttft p95" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }

        foreach (var group in groups)
        {
            table.AddRow(
            [
                group.Key is null ? "[dim](none)[/]" : Markup.Escape(RecordText.Cut(RecordText.OneLine(group.Key), 40)),
                Number(group.Calls),
                group.Errors == 0 ? "0" : $"[red]{Number(group.Errors)}[/]",
                (group.ErrorRate * 100).ToString("0.0", CultureInfo.InvariantCulture),
                Number(group.InputTokens),
                Number(group.OutputTokens),
                group.EstimatedCostUsd is { } cost ? cost.ToString("0.0000", CultureInfo.InvariantCulture) + (group.UnpricedCalls > 0 ? "*" : string.Empty) : "-",
                Seconds(group.Latency, 0),
                Seconds(group.Latency, 1),
                Seconds(group.Latency, 2),
                Seconds(group.TimeToFirstToken, 0),
                Seconds(group.TimeToFirstToken, 1),
            ]);
        }

        var console = Terminal.Create(output, style);
        console.Write(table);
        if (groups.Any(g => g.EstimatedCostUsd is not null && g.UnpricedCalls > 0))
        {
            console.MarkupLine("[dim]* some calls of the group have no price (unknown model or no usage): not counted in its cost.[/]");
        }
    }

    public static void WriteJson(Stream output, StatsGrouping grouping, IReadOnlyList<StatsGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(groups);
        var name = grouping.Name();
        foreach (var group in groups)
        {
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                writer.WriteString(name, group.Key);
                writer.WriteNumber("calls", group.Calls);
                writer.WriteNumber("errors", group.Errors);
                writer.WriteNumber("error_rate", group.ErrorRate);
                writer.WriteNumber("input_tokens", group.InputTokens);
                writer.WriteNumber("output_tokens", group.OutputTokens);
                if (group.EstimatedCostUsd is { } cost)
                {
                    writer.WriteNumber("estimated_cost_usd", cost);
                }

                writer.WriteNumber("unpriced_calls", group.UnpricedCalls);
                WritePercentiles(writer, "latency_seconds", group.Latency, ["p50", "p95", "p99"]);
                WritePercentiles(writer, "time_to_first_token_seconds", group.TimeToFirstToken, ["p50", "p95"]);
                writer.WriteEndObject();
            }

            output.WriteByte((byte)'\n');
        }

        output.Flush();
    }

    private static void WritePercentiles(Utf8JsonWriter writer, string name, IReadOnlyList<double>? values, string[] names)
    {
        if (values is null)
        {
            return;
        }

        writer.WriteStartObject(name);
        for (var i = 0; i < names.Length; i++)
        {
            writer.WriteNumber(names[i], values[i]);
        }

        writer.WriteEndObject();
    }

    private static IEnumerable<string> PlainFields(StatsGroup group) =>
    [
        Plain(group.Calls),
        Plain(group.Errors),
        group.ErrorRate.ToString("R", CultureInfo.InvariantCulture),
        Plain(group.InputTokens),
        Plain(group.OutputTokens),
        group.EstimatedCostUsd?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        PlainSeconds(group.Latency, 0),
        PlainSeconds(group.Latency, 1),
        PlainSeconds(group.Latency, 2),
        PlainSeconds(group.TimeToFirstToken, 0),
        PlainSeconds(group.TimeToFirstToken, 1),
    ];

    private static string Plain(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string PlainSeconds(IReadOnlyList<double>? values, int index) =>
        values is null ? string.Empty : values[index].ToString("R", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(IReadOnlyList<double>? values, int index) =>
        values is null ? "-" : values[index].ToString("0.000", CultureInfo.InvariantCulture);
}
