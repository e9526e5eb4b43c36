using System.Globalization;
using System.Text.Json;
using PromptLogging.Tool.Compare;
using Spectre.Console;

namespace PromptLogging.Tool.Rendering;

/// <summary>
/// Prints a <see cref="Comparison"/>: a line a pair (ids, latency, tokens, cost, finish reasons, and the word diff of the
/// replies when they differ), then the totals as a table on a terminal; redirected, tab-separated lines under header
/// rows (numbers in invariant culture, a removed run as <c>[-words-]</c>, an added one as <c>{+words+}</c>);
/// <c>--json</c>, one JSON object. Record text is made one safe line first (<see cref="RecordText"/>).
/// </summary>
internal static class CompareView
{
    private static readonly string[] PairHeadings =
    [
        "a_id", "b_id", "a_model", "b_model", "a_seconds", "b_seconds", "a_input_tokens", "b_input_tokens", "a_output_tokens",
        "b_output_tokens", "a_cost_usd", "b_cost_usd", "a_finish", "b_finish", "identical", "diff",
    ];

    public static void Write(TextWriter output, OutputStyle style, Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(style);
        ArgumentNullException.ThrowIfNull(comparison);
        if (!style.Terminal)
        {
            WritePlain(output, comparison);
            return;
        }

        var console = Terminal.Create(output, style);
        foreach (var pair in comparison.Pairs)
        {
            var (a, b) = (pair.A, pair.B);
            console.MarkupLine(
                $"[dim]{Markup.Escape(Short(a.Id))} → {Markup.Escape(Short(b.Id))}[/]  {Seconds(a.Seconds)} → {Seconds(b.Seconds)} s  " +
                $"{Number(a.OutputTokens)} → {Number(b.OutputTokens)} tokens out  {Markup.Escape(Finish(a))} → {Markup.Escape(Finish(b))}  " +
                (pair.Identical ? "[green]identical[/]" : "[yellow]different[/]"));
            if (!pair.Identical)
            {
                console.MarkupLine("  " + (style.Colour ? Coloured(pair.Diff) : Markup.Escape(Marked(pair.Diff))));
            }
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn(Markup.Escape(Pairing(comparison))).NoWrap());
        table.AddColumn(new TableColumn(Markup.Escape(RecordText.Cut(RecordText.OneLine(comparison.NamespaceA), 40))).RightAligned());
        table.AddColumn(new TableColumn(Markup.Escape(RecordText.Cut(RecordText.OneLine(comparison.NamespaceB), 40))).RightAligned());
        var (ta, tb) = (comparison.TotalsA, comparison.TotalsB);
        table.AddRow("calls", Number(ta.Calls), Number(tb.Calls));
        table.AddRow("errors", Number(ta.Errors), Number(tb.Errors));
        table.AddRow("latency, total s", Seconds(ta.Seconds), Seconds(tb.Seconds));
        table.AddRow("latency, mean s", Seconds(ta.MeanSeconds), Seconds(tb.MeanSeconds));
        table.AddRow("tokens in", Number(ta.InputTokens), Number(tb.InputTokens));
        table.AddRow("tokens out", Number(ta.OutputTokens), Number(tb.OutputTokens));
        table.AddRow("cost $", Cost(ta), Cost(tb));
        table.AddRow("finish reasons", Markup.Escape(Reasons(ta)), Markup.Escape(Reasons(tb)));
        console.Write(table);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"{comparison.Identical:N0} of {comparison.Pairs.Count:N0} replies identical."));
        if (ta.UnpricedCalls > 0 || tb.UnpricedCalls > 0)
        {
            console.MarkupLine("[dim]* some calls have no price (unknown model or no usage): not counted in the cost.[/]");
        }
    }

    public static void WriteJson(Stream output, Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(comparison);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("namespace_a", comparison.NamespaceA);
            writer.WriteString("namespace_b", comparison.NamespaceB);
            writer.WriteString("paired_by", comparison.PairedBy == PairedBy.ReplayOf ? "replay_of" : "messages");
            writer.WriteStartArray("pairs");
            foreach (var pair in comparison.Pairs)
            {
                writer.WriteStartObject();
                WriteCall(writer, "a", pair.A);
                WriteCall(writer, "b", pair.B);
                writer.WriteBoolean("identical", pair.Identical);
                writer.WriteStartArray("diff");
                foreach (var segment in pair.Diff)
                {
                    writer.WriteStartObject();
                    writer.WriteString("op", segment.Kind switch { DiffKind.Removed => "delete", DiffKind.Added => "insert", _ => "equal" });
                    writer.WriteString("text", segment.Text);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("totals");
            writer.WriteNumber("pairs", comparison.Pairs.Count);
            writer.WriteNumber("identical", comparison.Identical);
            writer.WriteNumber("different", comparison.Pairs.Count - comparison.Identical);
            WriteTotals(writer, "a", comparison.TotalsA);
            WriteTotals(writer, "b", comparison.TotalsB);
            writer.WriteEndObject();
            writer.WriteNumber("records_a", comparison.RecordsA);
            writer.WriteNumber("records_b", comparison.RecordsB);
            writer.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
        output.Flush();
    }

    /// <summary>The diff as one safe line: removed runs as <c>[-…-]</c>, added ones as <c>{+…+}</c>.</summary>
    public static string Marked(IReadOnlyList<DiffSegment> diff) =>
        string.Concat(diff.Select(s => s.Kind switch
        {
            DiffKind.Removed => "[-" + RecordText.Flatten(s.Text) + "-]",
            DiffKind.Added => "{+" + RecordText.Flatten(s.Text) + "+}",
            _ => RecordText.Flatten(s.Text),
        })).Trim();

    private static string Coloured(IReadOnlyList<DiffSegment> diff) =>
        string.Concat(diff.Select(s => s.Kind switch
        {
            DiffKind.Removed => "[red strikethrough]" + Markup.Escape(RecordText.Flatten(s.Text)) + "[/]",
            DiffKind.Added => "[green]" + Markup.Escape(RecordText.Flatten(s.Text)) + "[/]",
            _ => Markup.Escape(RecordText.Flatten(s.Text)),
        })).Trim();

    private static void WritePlain(TextWriter output, Comparison comparison)
    {
        output.Write(string.Join('\t', PairHeadings) + "\n");
        foreach (var pair in comparison.Pairs)
        {
            var (a, b) = (pair.A, pair.B);
            output.Write(string.Join('\t',
                RecordText.OneLine(a.Id), RecordText.OneLine(b.Id), RecordText.OneLine(a.Model), RecordText.OneLine(b.Model),
                Plain(a.Seconds), Plain(b.Seconds), Plain(a.InputTokens), Plain(b.InputTokens), Plain(a.OutputTokens), Plain(b.OutputTokens),
                Plain(a.CostUsd), Plain(b.CostUsd), RecordText.OneLine(Finish(a)), RecordText.OneLine(Finish(b)),
                pair.Identical ? "yes" : "no", pair.Identical ? string.Empty : Marked(pair.Diff)) + "\n");
        }

        output.Write("\n");
        output.Write(string.Join('\t', "total", RecordText.OneLine(comparison.NamespaceA), RecordText.OneLine(comparison.NamespaceB)) + "\n");
        var (ta, tb) = (comparison.TotalsA, comparison.TotalsB);
        Row(output, "pairs", Plain((long)comparison.Pairs.Count), Plain((long)comparison.Pairs.Count));
        Row(output, "errors", Plain((long)ta.Errors), Plain((long)tb.Errors));
        Row(output, "seconds", Plain(ta.Seconds), Plain(tb.Seconds));
        Row(output, "mean_seconds", Plain(ta.MeanSeconds), Plain(tb.MeanSeconds));
        Row(output, "input_tokens", Plain(ta.InputTokens), Plain(tb.InputTokens));
        Row(output, "output_tokens", Plain(ta.OutputTokens), Plain(tb.OutputTokens));
        Row(output, "estimated_cost_usd", Plain(ta.CostUsd), Plain(tb.CostUsd));
        Row(output, "finish_reasons", RecordText.OneLine(Reasons(ta)), RecordText.OneLine(Reasons(tb)));
        Row(output, "identical", Plain((long)comparison.Identical), Plain((long)comparison.Identical));
    }

    private static void Row(TextWriter output, string name, string a, string b) => output.Write($"{name}\t{a}\t{b}\n");

    private static void WriteCall(Utf8JsonWriter writer, string name, ComparedCall call)
    {
        writer.WriteStartObject(name);
        writer.WriteString("id", call.Id);
        WriteIfAny(writer, "model", call.Model);
        if (call.Seconds is { } seconds)
        {
            writer.WriteNumber("latency_seconds", seconds);
        }

        if (call.InputTokens is { } input)
        {
            writer.WriteNumber("input_tokens", input);
        }

        if (call.OutputTokens is { } output)
        {
            writer.WriteNumber("output_tokens", output);
        }

        if (call.CostUsd is { } cost)
        {
            writer.WriteNumber("estimated_cost_usd", cost);
        }

        WriteIfAny(writer, "finish_reason", call.FinishReason);
        WriteIfAny(writer, "error", call.Error);
        writer.WriteString("reply", call.Reply);
        writer.WriteEndObject();
    }

    private static void WriteTotals(Utf8JsonWriter writer, string name, SideTotals totals)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("calls", totals.Calls);
        writer.WriteNumber("errors", totals.Errors);
        writer.WriteNumber("latency_seconds", totals.Seconds);
        if (totals.MeanSeconds is { } mean)
        {
            writer.WriteNumber("mean_latency_seconds", mean);
        }

        writer.WriteNumber("input_tokens", totals.InputTokens);
        writer.WriteNumber("output_tokens", totals.OutputTokens);
        if (totals.CostUsd is { } cost)
        {
            writer.WriteNumber("estimated_cost_usd", cost);
        }

        writer.WriteNumber("unpriced_calls", totals.UnpricedCalls);
        writer.WriteStartObject("finish_reasons");
        foreach (var (reason, count) in totals.FinishReasons)
        {
            writer.WriteNumber(reason, count);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteIfAny(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    private static string Pairing(Comparison comparison) =>
        comparison.PairedBy == PairedBy.ReplayOf ? "paired by replay_of" : "paired by messages";

    private static string Finish(ComparedCall call) => call.FinishReason ?? (call.Error is null ? "-" : "error");

    private static string Reasons(SideTotals totals) =>
        string.Join(' ', totals.FinishReasons.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key}={r.Value}")));

    // Whole: ids are time-ordered, so records made moments apart differ only past their first dozen characters.
    private static string Short(string id) => RecordText.Cut(RecordText.OneLine(id), 40);

    private static string Cost(SideTotals totals) =>
        totals.CostUsd is { } cost ? cost.ToString("0.0000", CultureInfo.InvariantCulture) + (totals.UnpricedCalls > 0 ? "*" : string.Empty) : "-";

    private static string Number(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";

    private static string Seconds(double? value) => value?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-";

    private static string Plain(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Plain(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Plain(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
}
