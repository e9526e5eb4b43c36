using System.Globalization;
using System.Text.Json;
using PromptLogging.Browsing;
using PromptLogging.Storage;
using Spectre.Console;

namespace PromptLogging.Tool.Browsing;

/// <summary>
/// Runs <c>namespaces</c> and <c>models</c>: a table on a terminal, tab-separated lines with a header when redirected,
/// or one JSON object a line with <c>--json</c>.
/// </summary>
internal sealed class ContentsRunner(ToolConsole console)
{
    public int Namespaces(bool json, string database)
    {
        using var session = ReadSession.Open(database);
        var groups = StoreContents.Namespaces(session.Connection);
        Write(groups, json, withModel: false);
        return ExitCode.Success;
    }

    public int Models(string? @namespace, bool json, string database)
    {
        using var session = ReadSession.Open(database);
        var groups = StoreContents.Models(session.Connection, @namespace);
        Write(groups, json, withModel: true);
        return ExitCode.Success;
    }

    private void Write(IReadOnlyList<StoreContents.Group> groups, bool json, bool withModel)
    {
        if (json)
        {
            using var writer = new Utf8JsonWriter(console.Data);
            foreach (var group in groups)
            {
                writer.Reset(console.Data);
                writer.WriteStartObject();
                writer.WriteString("namespace", group.Namespace);
                if (withModel)
                {
                    writer.WriteString("model", group.Model);
                }

                writer.WriteNumber("prompts", group.Prompts);
                if (group.FirstUse is { } first)
                {
                    writer.WriteNumber("first_use", first);
                }

                if (group.LastUse is { } last)
                {
                    writer.WriteNumber("last_use", last);
                }

                writer.WriteEndObject();
                writer.Flush();
                console.Data.WriteByte((byte)'\n');
            }

            console.Data.Flush();
            return;
        }

        string[] header = withModel ? ["namespace", "model", "prompts", "first use", "last use"] : ["namespace", "prompts", "first use", "last use"];
        var rows = groups.Select(g => (withModel ? new[] { g.Namespace, g.Model ?? "-" } : [g.Namespace])
            .Select(t => TerminalText.Escape(t))
            .Concat([g.Prompts.ToString(CultureInfo.InvariantCulture), When(g.FirstUse), When(g.LastUse)])
            .ToArray()).ToList();
        if (!console.IsTerminal)
        {
            console.Out.WriteLine(string.Join('\t', header));
            foreach (var row in rows)
            {
                console.Out.WriteLine(string.Join('\t', row));
            }

            console.Out.Flush();
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in header)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => new Text(cell)).ToArray<Spectre.Console.Rendering.IRenderable>());
        }

        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = console.Colors ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(console.Out),
            Interactive = InteractionSupport.No,
        });
        ansi.Profile.Width = console.Width;
        ansi.Write(table);
        console.Out.Flush();
    }

    private static string When(double? seconds) =>
        seconds is { } s ? Display.Time(EpochSeconds.ToTime(s)) : "-";
}
