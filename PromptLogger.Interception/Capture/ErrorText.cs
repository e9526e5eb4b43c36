namespace PromptLogging.Interception;

/// <summary>How an exception is stored: its type and message, never its stack or inner data.</summary>
internal static class ErrorText
{
    public static string Describe(Exception exception) => $"{exception.GetType().FullName}: {exception.Message}";
}
