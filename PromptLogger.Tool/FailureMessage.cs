using System.Data.Common;

namespace PromptLogging.Tool;

/// <summary>Turns the failures an export can meet into the one line a user reads.</summary>
internal static class FailureMessage
{
    /// <summary>The message for an expected failure, or <see langword="null"/> for one that is a bug.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        // Malformed database URL, output that is the database or a folder.
        ArgumentException argument => WithoutParameterName(argument),
        // Missing database ("database not found: PATH"), missing output folder, a full disk, a closed pipe.
        IOException or UnauthorizedAccessException => exception.Message,
        // Not a SQLite file, or a corrupt one.
        DbException => $"cannot read the database: {exception.Message}",
        // A schema newer or older than this PromptLogger reads.
        InvalidOperationException => exception.Message,
        // An output stream that cannot be written to.
        NotSupportedException => $"cannot write the output: {exception.Message}",
        _ => null,
    };

    private static string WithoutParameterName(ArgumentException exception)
    {
        // ArgumentException.Message ends with " (Parameter 'name')": noise for someone typing a command.
        var suffix = exception.ParamName is null ? null : $" (Parameter '{exception.ParamName}')";
        var message = exception.Message;
        return suffix is not null && message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }
}
