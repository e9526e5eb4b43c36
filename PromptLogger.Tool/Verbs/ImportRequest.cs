using System.Diagnostics.CodeAnalysis;

namespace PromptLogging.Tool.Verbs;

/// <summary>An <c>import</c> command line, checked: which source, into which database, the namespace of records naming none, and whether to delete the source.</summary>
internal sealed record ImportRequest(string Source, string Database, bool Delete)
{
    /// <summary>The namespace of records that name none.</summary>
    public string Namespace { get; init; } = PromptLoggerOptions.DefaultNamespace;

    /// <summary>Checks what the parser cannot; <paramref name="problem"/> says what is wrong, for a usage error.</summary>
    public static bool TryCreate(
        ImportOptions options,
        [NotNullWhen(true)] out ImportRequest? request,
        [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        request = null;
        problem = CheckNothingElse(options.Unexpected) ?? CheckSource(options.Source) ?? CheckNamespace(options.Namespace);
        if (problem is not null)
        {
            return false;
        }

        request = new ImportRequest(options.Source, options.Database, options.Delete)
        {
            Namespace = options.Namespace ?? PromptLoggerOptions.DefaultNamespace,
        };
        return true;
    }

    private static string? CheckNothingElse(IEnumerable<string> unexpected) =>
        unexpected.FirstOrDefault() is { } extra
            ? $"unexpected argument '{extra}'; import takes one: SOURCE."
            : null;

    private static string? CheckSource(string path) =>
        string.IsNullOrWhiteSpace(path) ? "SOURCE is empty; give the path of a spool file, a JSONL file or a database."
        : path.IndexOfAny(Path.GetInvalidPathChars()) >= 0 ? "SOURCE contains characters that cannot be in a path."
        : null;

    private static string? CheckNamespace(string? @namespace) =>
        @namespace is not null && string.IsNullOrWhiteSpace(@namespace) ? "--namespace is empty; give a namespace." : null;
}
