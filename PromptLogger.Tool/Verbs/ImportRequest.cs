using System.Diagnostics.CodeAnalysis;

namespace PromptLogging.Tool.Verbs;

/// <summary>An <c>import</c> command line, checked: which spool file, into which database, and whether to delete it.</summary>
internal sealed record ImportRequest(string SpoolFile, string Database, bool Delete)
{
    /// <summary>Checks what the parser cannot; <paramref name="problem"/> says what is wrong, for a usage error.</summary>
    public static bool TryCreate(
        ImportOptions options,
        [NotNullWhen(true)] out ImportRequest? request,
        [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        request = null;
        problem = CheckNothingElse(options.Unexpected) ?? CheckSpoolFile(options.SpoolFile);
        if (problem is not null)
        {
            return false;
        }

        request = new ImportRequest(options.SpoolFile, options.Database, options.Delete);
        return true;
    }

    private static string? CheckNothingElse(IEnumerable<string> unexpected) =>
        unexpected.FirstOrDefault() is { } extra
            ? $"unexpected argument '{extra}'; import takes one: SPOOL_FILE."
            : null;

    private static string? CheckSpoolFile(string path) =>
        string.IsNullOrWhiteSpace(path) ? "SPOOL_FILE is empty; give the path of a spool file."
        : path.IndexOfAny(Path.GetInvalidPathChars()) >= 0 ? "SPOOL_FILE contains characters that cannot be in a path."
        : null;
}
