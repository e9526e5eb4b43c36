using System.Diagnostics.CodeAnalysis;
using PromptLogging.Export;
using PromptLogging.Export.Formats;

namespace PromptLogging.Tool.Verbs;

/// <summary>An <c>export</c> command line, checked: what to export, where, and which rows.</summary>
internal sealed record ExportRequest(ExportKind Kind, string Output, ExportFilter Filter, string Database, string? Prices)
{
    /// <summary>The format and its settings (<c>--format</c>, <c>--dedupe</c>); the seed's JSONL unless told.</summary>
    public FormatOptions Format { get; init; } = FormatOptions.Seed;

    public const string StandardOutput = "-";

    private const string Models = "models";
    private const string Prompts = "prompts";
    private const string Chat = "chat";
    private const string Text = "text";
    private const char InvalidUtf8 = '\uFFFD';

    public bool ToStandardOutput => Output == StandardOutput;

    /// <summary>What the export writes, for the summary line: <c>models</c> or <c>prompts</c>.</summary>
    public string Noun => Kind == ExportKind.Models ? Models : Prompts;

    /// <summary>Checks what the parser cannot; <paramref name="problem"/> says what is wrong, for a usage error.</summary>
    public static bool TryCreate(
        IReadOnlyList<string> args,
        ExportOptions options,
        [NotNullWhen(true)] out ExportRequest? request,
        [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        request = null;
        FormatOptions? format = null;
        problem = TryReadKind(options, out var kind)
            ?? CheckNothingElse(options.Unexpected)
            ?? CheckOutput(options.Output)
            ?? CheckPromptsOnly(options, kind)
            ?? TryReadFormat(options, kind, out format);
        if (problem is not null)
        {
            return false;
        }

        var filter = FilterArguments.Read(args, options, DateTimeOffset.UtcNow, out problem);
        if (filter is null)
        {
            problem ??= "the selection flags are not valid.";
            return false;
        }

        request = new ExportRequest(kind, options.Output, filter, options.Database, options.Prices) { Format = format! };
        return true;
    }

    private static string? TryReadKind(ExportOptions options, out ExportKind kind)
    {
        kind = ExportKind.ChatPrompts;
        switch (options.What)
        {
            case Models when options.Type is null:
                kind = ExportKind.Models;
                return null;
            case Models:
                return "--type applies to 'export prompts' only; models have no type.";
            case Prompts when options.Type is null or Chat:
                kind = ExportKind.ChatPrompts;
                return null;
            case Prompts when options.Type is Text:
                kind = ExportKind.TextPrompts;
                return null;
            case Prompts:
                return $"--type must be chat or text, not '{options.Type}'.";
            default:
                return $"cannot export '{options.What}': choose models or prompts, as in 'export prompts OUTPUT'.";
        }
    }

    /// <summary>Reads <c>--format</c> and <c>--dedupe</c>, and checks that the format can write what is exported.</summary>
    private static string? TryReadFormat(ExportOptions options, ExportKind kind, out FormatOptions? format)
    {
        format = null;
        var name = options.Format ?? ExportFormatNames.NameOf(ExportFormat.Jsonl);
        if (!ExportFormatNames.TryParse(name, out var value))
        {
            return $"unknown --format '{name}'; the formats are: {ExportFormatNames.List}.";
        }

        if (options.Dedupe && value != ExportFormat.OpenAIFineTuning)
        {
            return "--dedupe applies to --format openai-ft only.";
        }

        var problem = (kind, value) switch
        {
            (ExportKind.Models, not ExportFormat.Jsonl) => $"--format {name} applies to 'export prompts' only; models are exported in the seed format.",
            (ExportKind.TextPrompts, ExportFormat.OpenAIFineTuning or ExportFormat.OpenAIBatch) =>
                $"--format {name} writes chat prompts; text prompts export as seed or csv.",
            _ => null,
        };
        format = problem is null ? new FormatOptions(value, options.Dedupe) : null;
        return problem;
    }

    private static string? CheckNothingElse(IEnumerable<string> unexpected) =>
        unexpected.FirstOrDefault() is { } extra
            ? $"unexpected argument '{extra}'; export takes two: models|prompts and OUTPUT."
            : null;

    private static string? CheckOutput(string output)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            return "OUTPUT is empty; give a file path, or - for standard output.";
        }

        // .NET reads each byte of the command line that is not valid UTF-8 as U+FFFD: writing to that name would
        // create a different file from the one typed.
        return output.Contains(InvalidUtf8, StringComparison.Ordinal)
            ? $"OUTPUT '{output}' is not valid UTF-8 (bytes that are not show as \uFFFD); it would be written " +
              "under a different name. Give a UTF-8 file name."
            : null;
    }

    /// <summary>The flags that select prompts by what only prompts have, refused for <c>export models</c>.</summary>
    private static string? CheckPromptsOnly(ExportOptions options, ExportKind kind)
    {
        if (kind != ExportKind.Models)
        {
            return null;
        }

        (string Flag, bool Given)[] flags =
        [
            ("--conversation", options.Conversation is not null),
            ("--user", options.User is not null),
            ("--tag", options.Tag is not null),
            ("--since", options.Since is not null),
            ("--until", options.Until is not null),
            ("--errors", options.Errors),
            ("--no-errors", options.NoErrors),
        ];
        return flags.FirstOrDefault(f => f.Given).Flag is { } flag
            ? $"{flag} applies to 'export prompts' only; models are not selected by {flag[2..]}."
            : null;
    }
}
