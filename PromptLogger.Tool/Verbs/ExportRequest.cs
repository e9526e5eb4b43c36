using System.Diagnostics.CodeAnalysis;
using PromptLogging.Export;

namespace PromptLogging.Tool.Verbs;

/// <summary>An <c>export</c> command line, checked: what to export, where, and which rows.</summary>
internal sealed record ExportRequest(ExportKind Kind, string Output, ExportFilter Filter, string Database)
{
    public const string StandardOutput = "-";
    public const string AllModels = "all";

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
        ExportOptions options,
        [NotNullWhen(true)] out ExportRequest? request,
        [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        request = null;
        var models = ReadModels(options.Models);
        problem = TryReadKind(options, out var kind)
            ?? CheckNothingElse(options.Unexpected)
            ?? CheckOutput(options.Output)
            ?? CheckNamespace(options.Namespace)
            ?? CheckModels(options.Models, models)
            ?? CheckContext(options, kind);
        if (problem is not null)
        {
            return false;
        }

        var filter = ExportFilter.Create(options.Namespace, models, options.Conversation, options.User, options.Tags);
        request = new ExportRequest(kind, options.Output, filter, options.Database);
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

    private static string? CheckNamespace(string @namespace) =>
        string.IsNullOrWhiteSpace(@namespace) ? "--namespace is empty; give a namespace such as default." : null;

    /// <summary>
    /// <c>--conversation</c>, <c>--user</c> and <c>--tag</c>: each with a value (an empty one would silently select
    /// everything, or nothing), and only where there are prompts to select.
    /// </summary>
    private static string? CheckContext(ExportOptions options, ExportKind kind)
    {
        (string Flag, bool Given, bool Empty)[] flags =
        [
            ("--conversation", options.Conversation is not null, options.Conversation?.Length == 0),
            ("--user", options.User is not null, options.User?.Length == 0),
            ("--tag", options.Tags.Any(), options.Tags.Any(string.IsNullOrEmpty)),
        ];
        foreach (var (flag, given, empty) in flags)
        {
            if (given && kind == ExportKind.Models)
            {
                return $"{flag} applies to 'export prompts' only; models are not selected by {flag[2..]}.";
            }

            if (empty)
            {
                return $"{flag} is empty; give a {(flag == "--tag" ? "tag" : flag[2..] + " id")}.";
            }
        }

        return null;
    }

    private static string[] ReadModels(string? raw) =>
        [.. (raw ?? string.Empty).Split(',').Select(name => name.Trim())];

    // Silently reading "--models ''" or "--models a,,b" as "every model" would export more than was asked for.
    private static string? CheckModels(string? raw, string[] models) =>
        models.Any(string.IsNullOrEmpty)
            ? $"--models '{raw}' names an empty model; give model names separated by commas, or all."
            : null;
}
